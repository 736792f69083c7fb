'use client';
import { useMemo } from 'react';
import { useAnswer } from './use-answer';
import type { Bundle } from '@medplum/fhirtypes';
import { namesInBundles, referencesToName, type NameDirectory } from '@/lib/fhir/compose/people';
import { readNames, type NameCache } from './read-names';
import { trackRequest } from './request-log';
import { proxyBase } from './use-fhir';

/** Names read for this page's launches: memory only, a few minutes (read-names.ts). */
const caches = new Map<string, Map<string, { at: number; name: string | null }>>();

function cacheFor(launchId: string): NameCache {
  let c = caches.get(launchId);
  if (!c) caches.set(launchId, (c = new Map()));
  return c;
}

async function readOne(launchId: string, key: string): Promise<unknown> {
  const done = trackRequest();
  try {
    const res = await fetch(`${proxyBase(launchId)}${key}`, { headers: { accept: 'application/fhir+json' }, credentials: 'same-origin', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`status ${res.status}`);
    return await res.json();
  } finally {
    done();
  }
}

/**
 * Names for the people and places the Bundles reference without a display: those the Bundles
 * include, then one parallel wave of reads for the rest once the Bundles are in. Until the
 * wave answers (and where it cannot), views say who it is in words. Only types in `readable`
 * (those the launch's scopes let it read) are asked for. Callers pass a list of Bundles of fixed
 * length (one slot per request of the view).
 */
export function useNames(launchId: string, readable: readonly string[], bundles: (Bundle | undefined)[]): NameDirectory {
  const included = useMemo(() => namesInBundles(bundles), bundles);
  const types = readable.join(',');
  const wanted = useMemo(() => referencesToName(bundles, types.split(',')), [types, ...bundles]);
  const key = wanted.length ? `names:${launchId}:${wanted.join(',')}` : null;
  const { data } = useAnswer(key, () => readNames(wanted, { read: (k) => readOne(launchId, k), cache: cacheFor(launchId), now: Date.now }));
  return useMemo(() => new Map<string, string | null>([...included, ...(data ?? [])]), [included, data]);
}

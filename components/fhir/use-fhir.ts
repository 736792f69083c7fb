'use client';
import { useCallback } from 'react';
import { useAnswer } from './use-answer';
import { outcomeCode } from '@/lib/fhir/outcome-code';
import { AnswerError, readThrough, type ThroughResult } from '@/lib/sync/read-through';
import { pathBelowProxy, proxyBase, proxyUrl } from '@/lib/fhir/proxy-path';
import { useFhirCache } from './fhir-cache';
import { asFetched, useServerAnswer } from './server-answers';
import { trackRequest } from './request-log';
import { noteDateHeader } from '@/components/ui/server-clock';

/** An answer and when it was fetched; `fromCache` when the EHR could not be reached and the device's copy is shown. */
export type FhirResult<T> = ThroughResult<T>;

/** A request with no answer for this long counts as unreachable (bad Wi-Fi), and the saved copy is shown. */
const REQUEST_TIMEOUT_MS = 15_000;

async function fetchAnswer(url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/fhir+json' }, credentials: 'same-origin', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch {
    throw new AnswerError(0, 'network');
  }
  noteDateHeader(res.headers.get('date'), Date.now());
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new AnswerError(res.status, outcomeCode(body) ?? 'upstream-error');
  return body;
}

/** Reads through the device cache (lib/sync read-through.ts: network first, the saved copy when unreachable). */
export function useFetcher<T>(): (url: string) => Promise<FhirResult<T>> {
  const { cache } = useFhirCache();
  return useCallback(
    async (url: string) => {
      const done = trackRequest();
      try {
        return await readThrough<T>(pathBelowProxy(url), {
          fetchAnswer: () => fetchAnswer(url),
          cache,
          online: () => navigator.onLine,
          now: Date.now,
        });
      } finally {
        done();
      }
    },
    [cache],
  );
}

export function outcomeOf(error: unknown): string | undefined {
  return error instanceof AnswerError ? error.outcome : error ? 'network' : undefined;
}

export { proxyBase };

/**
 * Reads one FHIR URL through the launch's proxy. Keyed by the canonical request path, so two
 * views asking for the same search share one request and its cached answer.
 */
export function useFhir<T>(launchId: string, path: string | null) {
  const key = path === null ? null : proxyUrl(launchId, path);
  // An answer the page came with (server-answers.tsx) is shown at once and not asked for again on mount.
  // Views ask again when the connection comes and goes, and when sync or consent says so
  // (fhir-cache.tsx, sync-provider.tsx): never on focus alone, never retried on their own.
  const seed = useServerAnswer(key);
  const { data, error, isLoading } = useAnswer(key, useFetcher<T>(), seed ? { fallback: asFetched<T>(seed), revalidateOnMount: false } : {});
  return { data: data?.body, fetchedAt: data?.fetchedAt, fromCache: data?.fromCache ?? false, isLoading, outcome: outcomeOf(error) };
}

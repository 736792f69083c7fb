'use client';
import useSWR from 'swr';
import useSWRInfinite from 'swr/infinite';
import type { Bundle } from '@medplum/fhirtypes';
import { outcomeCode, type OutcomeCode } from '@/lib/fhir';
import { trackRequest } from './request-log';

export class FhirFetchError extends Error {
  constructor(readonly status: number, readonly code: OutcomeCode | 'network') {
    super(code);
  }
}

export interface FhirResult<T> {
  body: T;
  fetchedAt: string;
}

async function fetchFhir<T>(url: string): Promise<FhirResult<T>> {
  const done = trackRequest();
  try {
    let res: Response;
    try {
      res = await fetch(url, { headers: { accept: 'application/fhir+json' }, credentials: 'same-origin' });
    } catch {
      throw new FhirFetchError(0, 'network');
    }
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new FhirFetchError(res.status, outcomeCode(body) ?? 'upstream-error');
    return { body: body as T, fetchedAt: new Date().toISOString() };
  } finally {
    done();
  }
}

function outcomeOf(error: unknown): OutcomeCode | 'network' | undefined {
  return error instanceof FhirFetchError ? error.code : error ? 'network' : undefined;
}

const OPTIONS = { revalidateOnFocus: false, shouldRetryOnError: false } as const;

export function proxyBase(launchId: string): string {
  return `/api/l/${launchId}/fhir/`;
}

/**
 * Reads one FHIR URL through the launch's proxy. Keyed by the canonical request path, so two
 * views asking for the same search share one request and its cached answer.
 */
export function useFhir<T>(launchId: string, path: string | null) {
  const key = path === null ? null : `${proxyBase(launchId)}${path}`;
  const { data, error, isLoading } = useSWR(key, fetchFhir<T>, OPTIONS);
  return { data: data?.body, fetchedAt: data?.fetchedAt, isLoading, outcome: outcomeOf(error) };
}

function nextLink(bundle: Bundle | undefined, launchId: string): string | null {
  const url = bundle?.link?.find((l) => l.relation === 'next')?.url;
  // Only ever follow links the proxy rewrote to itself, for this launch.
  return typeof url === 'string' && url.startsWith(proxyBase(launchId)) ? url : null;
}

/**
 * A search and its further pages, following the Bundle's `next` links on request
 * (`loadMore`). Each page keeps its own fetch time.
 */
export function useFhirPages(launchId: string, path: string | null) {
  const { data, error, isLoading, isValidating, size, setSize } = useSWRInfinite<FhirResult<Bundle>>(
    (index, previous: FhirResult<Bundle> | null) => {
      if (path === null) return null;
      if (index === 0) return `${proxyBase(launchId)}${path}`;
      return nextLink(previous?.body, launchId);
    },
    fetchFhir<Bundle>,
    { ...OPTIONS, revalidateFirstPage: false },
  );
  const pages = data ?? [];
  const last = pages[pages.length - 1];
  return {
    pages,
    isLoading,
    isLoadingMore: isValidating && size > pages.length,
    hasMore: !!last && nextLink(last.body, launchId) !== null,
    total: typeof pages[0]?.body.total === 'number' ? pages[0].body.total : undefined,
    loadMore: () => void setSize(size + 1),
    outcome: outcomeOf(error),
  };
}

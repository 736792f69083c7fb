'use client';
import useSWR from 'swr';
import { outcomeCode, type OutcomeCode } from '@/lib/fhir';

export class FhirFetchError extends Error {
  constructor(readonly status: number, readonly code: OutcomeCode | 'network') {
    super(code);
  }
}

async function fetchFhir(url: string): Promise<{ body: unknown; fetchedAt: string }> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/fhir+json' }, credentials: 'same-origin' });
  } catch {
    throw new FhirFetchError(0, 'network');
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new FhirFetchError(res.status, outcomeCode(body) ?? 'upstream-error');
  return { body, fetchedAt: new Date().toISOString() };
}

/**
 * Reads one FHIR URL through the launch's proxy. Keyed by the canonical request path, so two
 * cards asking for the same search share one request.
 */
export function useFhir<T>(launchId: string, path: string | null) {
  const key = path === null ? null : `/api/l/${launchId}/fhir/${path}`;
  const { data, error, isLoading } = useSWR(key, fetchFhir, { revalidateOnFocus: false, shouldRetryOnError: false });
  return {
    data: data?.body as T | undefined,
    fetchedAt: data?.fetchedAt,
    isLoading,
    outcome: error instanceof FhirFetchError ? error.code : error ? 'network' : undefined,
  };
}

'use client';
import { useAnswerPages } from './use-answer';
import type { Bundle } from '@medplum/fhirtypes';
import { outcomeOf, proxyBase, useFetcher, type FhirResult } from './use-fhir';
import { proxyUrl } from '@/lib/fhir/proxy-path';
import { asFetched, useServerAnswer } from './server-answers';

// Paging is a module of its own: only the views with a history load it.

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
  // A first page the page came with (server-answers.tsx) is shown at once and not asked for again on mount.
  const seed = useServerAnswer(path === null ? null : proxyUrl(launchId, path));
  const { pages, error, isLoading, isLoadingMore, loadMore } = useAnswerPages<FhirResult<Bundle>>(
    path === null ? null : proxyUrl(launchId, path),
    (last) => nextLink(last.body, launchId),
    useFetcher<Bundle>(),
    seed ? { fallback: [asFetched<Bundle>(seed)], revalidateOnMount: false } : {},
  );
  const last = pages[pages.length - 1];
  return {
    pages,
    isLoading,
    isLoadingMore,
    hasMore: !!last && nextLink(last.body, launchId) !== null,
    total: typeof pages[0]?.body.total === 'number' ? pages[0].body.total : undefined,
    loadMore,
    outcome: outcomeOf(error),
  };
}

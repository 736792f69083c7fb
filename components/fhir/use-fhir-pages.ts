'use client';
import useSWRInfinite from 'swr/infinite';
import type { Bundle } from '@medplum/fhirtypes';
import { OPTIONS, outcomeOf, proxyBase, useFetcher, type FhirResult } from './use-fhir';

// Paging (SWR's infinite hook) is a module of its own: only the views with a history load it.

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
    useFetcher<Bundle>(),
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

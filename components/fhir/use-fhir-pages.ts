'use client';
import useSWRInfinite from 'swr/infinite';
import type { Bundle } from '@medplum/fhirtypes';
import { OPTIONS, outcomeOf, proxyBase, useFetcher, type FhirResult } from './use-fhir';
import { proxyUrl } from '@/lib/fhir/proxy-path';
import { asFetched, useServerAnswer } from './server-answers';

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
  // A first page the page came with (server-answers.tsx) is shown at once and not asked for again on mount.
  const seed = useServerAnswer(path === null ? null : proxyUrl(launchId, path));
  const options = seed ? { ...OPTIONS, revalidateFirstPage: false, revalidateOnMount: false, fallbackData: [asFetched<Bundle>(seed)] } : { ...OPTIONS, revalidateFirstPage: false };
  const { data, error, isLoading, isValidating, size, setSize } = useSWRInfinite<FhirResult<Bundle>>(
    (index, previous: FhirResult<Bundle> | null) => {
      if (path === null) return null;
      if (index === 0) return proxyUrl(launchId, path);
      return nextLink(previous?.body, launchId);
    },
    useFetcher<Bundle>(),
    options,
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

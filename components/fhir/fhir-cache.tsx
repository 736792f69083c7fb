'use client';
import { createContext, useContext, useEffect, useMemo } from 'react';
import { revalidateAnswers } from './answer-store';
import type { PartitionOwner } from '@/lib/offline';
import type { AnswerCache } from '@/lib/sync';
import { loadOfflineRuntime } from '@/components/sync/load-offline';

/** What views under a launch see of the device cache. */
export interface FhirCacheValue {
  /** The partition's answer cache; resolves to undefined when it could not be opened. */
  cache: Promise<AnswerCache | undefined> | undefined;
  /** Deletes the saved answers holding these types and makes the views ask the EHR again. */
  purgeTypes(types: readonly string[]): Promise<number>;
}

const NO_CACHE: FhirCacheValue = { cache: undefined, purgeTypes: async () => 0 };
const FhirCacheContext = createContext<FhirCacheValue>(NO_CACHE);

/** The device cache of the launch's partition; outside a provider views read the network only. */
export function useFhirCache(): FhirCacheValue {
  return useContext(FhirCacheContext);
}

/**
 * Opens the encrypted partition of (issuer, user, patient) once for the views below, so every
 * proxy answer they get is kept and shown when the EHR cannot be reached. Views revalidate when
 * the connection goes (so they say they are offline) and when it comes back.
 */
export function FhirCacheProvider({ owner, children }: { owner: PartitionOwner; children: React.ReactNode }) {
  const { issuer, fhirUser, patient } = owner;
  // Opened during the first client render, before the views' first requests start, so their
  // answers are saved too (the requests never wait for it; the store's code arrives as a chunk of
  // its own meanwhile). Never on the server.
  const cache = useMemo(
    () =>
      typeof window === 'undefined'
        ? undefined
        : loadOfflineRuntime().then((rt) => rt.openPartition({ issuer, fhirUser, patient }).then(rt.createAnswerCache)).catch(() => undefined),
    [issuer, fhirUser, patient],
  );
  useEffect(() => {
    // The moment the connection goes, every view on screen asks again: the read-through then
    // answers from the device and each section says it is offline and since when. When it comes
    // back, every answer is asked for again, including those of views not on screen (a revalidation
    // also forgets requests still pending from the offline spell, which would otherwise hold back
    // the next view's request: answer-store.ts).
    const revalidateAll = () => void revalidateAnswers(() => true);
    window.addEventListener('offline', revalidateAll);
    window.addEventListener('online', revalidateAll);
    return () => {
      window.removeEventListener('offline', revalidateAll);
      window.removeEventListener('online', revalidateAll);
    };
  }, []);
  const value = useMemo<FhirCacheValue>(() => ({
    cache,
    async purgeTypes(types) {
      const removed = (await (await cache)?.purgeTypes(types)) ?? 0;
      const wanted = new Set(types);
      await revalidateAnswers((key) => wanted.has(key.split('/fhir/')[1]?.split(/[/?]/, 1)[0] ?? ''));
      return removed;
    },
  }), [cache]);
  return <FhirCacheContext.Provider value={value}>{children}</FhirCacheContext.Provider>;
}

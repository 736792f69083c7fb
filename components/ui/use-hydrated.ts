'use client';
import { useSyncExternalStore } from 'react';

const noSubscription = () => () => undefined;

/**
 * False on the server and while the browser still shows the server's HTML; true once the view's
 * scripts have run. Views expose it as `data-hydrated`, so a test can tell a page that is alive from
 * one only drawn.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

'use client';
/** The device store and sync engine (offline-runtime.ts), loaded once per tab when first asked for. */
export type OfflineRuntime = typeof import('./offline-runtime');

let loading: Promise<OfflineRuntime> | undefined;

export function loadOfflineRuntime(): Promise<OfflineRuntime> {
  loading ??= import('./offline-runtime').catch((e: unknown) => {
    loading = undefined; // a chunk that failed to arrive (the network went) is asked for again next time
    throw e;
  });
  return loading;
}

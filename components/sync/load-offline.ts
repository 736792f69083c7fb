'use client';
/** The device store and sync engine (offline-runtime.ts), loaded once per tab when first asked for. */
export type OfflineRuntime = typeof import('./offline-runtime');

let loading: Promise<OfflineRuntime> | undefined;

/** Resolves when the network may be back: the browser says so, or a few seconds passed. */
function awhile(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      window.removeEventListener('online', done);
      window.clearTimeout(timer);
      resolve();
    };
    const timer = window.setTimeout(done, 5_000);
    window.addEventListener('online', done);
  });
}

/**
 * A chunk, asked for again until it arrives: the network may go between a page's first code and
 * it. `load` is the chunk's `import()`.
 */
export function importUntilLoaded<T>(load: () => Promise<T>): Promise<T> {
  return load().catch(() => awhile().then(() => importUntilLoaded(load)));
}

function importRuntime(): Promise<OfflineRuntime> {
  return importUntilLoaded(() => import('./offline-runtime'));
}

export function loadOfflineRuntime(): Promise<OfflineRuntime> {
  loading ??= importRuntime();
  return loading;
}

/**
 * For a page that must work with no network from its first load (the offline shell): the page
 * imports the runtime itself, so it is among the page's own scripts (which the service worker
 * stores with the shell), and hands it over here instead of loading it later.
 */
export function provideOfflineRuntime(runtime: OfflineRuntime): void {
  loading ??= Promise.resolve(runtime);
}

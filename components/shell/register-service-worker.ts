/** What registration needs from the window (injected, so a test can play a frame that refuses). */
export interface RegistrationWindow {
  isSecureContext: boolean;
  navigator: { serviceWorker?: { register(url: string, options: RegistrationOptions): Promise<unknown> } };
}

/** Why the worker was or was not registered. */
export type RegistrationResult = 'registered' | 'insecure' | 'unsupported' | 'refused';

/**
 * Registers `/sw.js?v={build}` for the whole origin. Only in a secure context (https, or
 * localhost); where the browser refuses (a cross-site EHR frame whose storage is partitioned or
 * blocked) the app works as before, without the offline shell.
 */
export async function registerServiceWorker(win: RegistrationWindow, build: string): Promise<RegistrationResult> {
  if (!win.isSecureContext) return 'insecure';
  try {
    // Reading the property itself throws in some sandboxed frames.
    const sw = win.navigator.serviceWorker;
    if (!sw) return 'unsupported';
    await sw.register(`/sw.js?v=${encodeURIComponent(build)}`, { scope: '/', updateViaCache: 'none' });
    return 'registered';
  } catch {
    return 'refused';
  }
}

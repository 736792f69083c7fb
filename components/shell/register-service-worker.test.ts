import { describe, expect, it, vi } from 'vitest';
import { registerServiceWorker, type RegistrationWindow } from './register-service-worker';

function win(secure: boolean, register?: (url: string, o: RegistrationOptions) => Promise<unknown>): RegistrationWindow {
  return { isSecureContext: secure, navigator: register ? { serviceWorker: { register } } : {} };
}

describe('registerServiceWorker', () => {
  it('registers the versioned worker for the whole origin, bypassing the HTTP cache for updates', async () => {
    const register = vi.fn(async () => ({}));
    expect(await registerServiceWorker(win(true, register), 'b 1/2')).toBe('registered');
    expect(register).toHaveBeenCalledWith('/sw.js?v=b%201%2F2', { scope: '/', updateViaCache: 'none' });
  });

  it('does nothing outside a secure context', async () => {
    const register = vi.fn(async () => ({}));
    expect(await registerServiceWorker(win(false, register), 'b1')).toBe('insecure');
    expect(register).not.toHaveBeenCalled();
  });

  it('is harmless where the browser refuses (a cross-site EHR frame) or has no service workers', async () => {
    expect(await registerServiceWorker(win(true, () => Promise.reject(new DOMException('denied', 'SecurityError'))), 'b1')).toBe('refused');
    expect(await registerServiceWorker(win(true), 'b1')).toBe('unsupported');
    const throwing = { isSecureContext: true, navigator: Object.defineProperty({}, 'serviceWorker', { get: () => { throw new DOMException('denied', 'SecurityError'); } }) } as RegistrationWindow;
    expect(await registerServiceWorker(throwing, 'b1')).toBe('refused');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetServerEnvForTests } from '../env';

// Counts the real unseals (PBKDF2 and HMAC) behind readBrowserSession; the behaviour is iron-session's own.
const unseals = vi.hoisted(() => ({ count: 0 }));
vi.mock('iron-session', async (importOriginal) => {
  const real = await importOriginal<typeof import('iron-session')>();
  return { ...real, unsealData: (...args: Parameters<typeof real.unsealData>) => { unseals.count++; return real.unsealData(...args); } };
});
const { newBrowserSession, readBrowserSession, SESSION_COOKIE } = await import('./session');

const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;
const expiryOf = (cookie: string) => Number(decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1)).split('~')[0]!.split('*')[5]);

beforeEach(() => {
  process.env.HOUSECALL_COOKIE_SECRET = 'm'.repeat(16) + 'secret-for-the-seal-memory-test';
  resetServerEnvForTests();
  unseals.count = 0;
});
afterEach(() => {
  delete process.env.HOUSECALL_COOKIE_SECRET;
  resetServerEnvForTests();
});

describe('opened session seals are remembered (issue 16: one unseal per session, not per request)', () => {
  it('opens a seal once and answers the same seal from memory until the expiry it carries', async () => {
    const { sid, setCookie } = await newBrowserSession();
    const cookie = cookieOf(setCookie);
    expect(await readBrowserSession(cookie)).toBe(sid);
    expect(await readBrowserSession(cookie)).toBe(sid);
    expect(await readBrowserSession(`other=1; ${cookie}`)).toBe(sid);
    expect(unseals.count).toBe(1);
    // At the seal's own expiry the memory no longer answers: the seal is judged again by iron-session.
    const expiry = expiryOf(cookie);
    expect(expiry).toBeGreaterThan(Date.now());
    expect(await readBrowserSession(cookie, expiry)).toBe(sid);
    expect(unseals.count).toBe(2);
  });

  it('never remembers a seal that did not open: an altered seal is unsealed, and refused, every time', async () => {
    const { setCookie } = await newBrowserSession();
    const seal = cookieOf(setCookie).slice(SESSION_COOKIE.length + 1);
    const i = Math.floor(seal.length / 2);
    const altered = `${SESSION_COOKIE}=${seal.slice(0, i)}${seal[i] === 'A' ? 'B' : 'A'}${seal.slice(i + 1)}`;
    expect(await readBrowserSession(altered)).toBeNull();
    expect(await readBrowserSession(altered)).toBeNull();
    expect(unseals.count).toBe(2);
  });

  it('forgets every remembered seal when the secrets change: a seal under a dropped secret is refused at once', async () => {
    const { sid, setCookie } = await newBrowserSession();
    const cookie = cookieOf(setCookie);
    expect(await readBrowserSession(cookie)).toBe(sid);
    process.env.HOUSECALL_COOKIE_SECRET = 'z'.repeat(16) + 'a-different-secret-for-this-test';
    resetServerEnvForTests();
    expect(await readBrowserSession(cookie)).toBeNull();
    expect(unseals.count).toBe(2);
  });
});

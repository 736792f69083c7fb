import { sealData } from 'iron-session';
import { afterEach, describe, expect, it } from 'vitest';
import { resetServerEnvForTests, serverEnv } from '../env';
import { newBrowserSession, readBrowserSession, SESSION_COOKIE } from './session';

const OLD = 'o'.repeat(16) + 'old-secret-for-the-rotation-test';
const NEW = 'n'.repeat(16) + 'new-secret-for-the-rotation-test';
const OTHER = 'x'.repeat(16) + 'a-secret-this-deployment-never-had';

function useSecrets(value: string) {
  process.env.HOUSECALL_COOKIE_SECRET = value;
  resetServerEnvForTests();
}
const cookieOf = (setCookie: string) => setCookie.split(';')[0]!;

afterEach(() => {
  delete process.env.HOUSECALL_COOKIE_SECRET;
  resetServerEnvForTests();
});

describe('rotating HOUSECALL_COOKIE_SECRET', () => {
  it('keeps a session sealed under the old secret after a new one is put first, and seals new sessions under the new one', async () => {
    useSecrets(OLD);
    const before = await newBrowserSession();
    useSecrets(`${NEW}, ${OLD}`);
    expect(await readBrowserSession(cookieOf(before.setCookie))).toBe(before.sid);
    const after = await newBrowserSession();
    expect(await readBrowserSession(cookieOf(after.setCookie))).toBe(after.sid);
    // Once the old secret is dropped, only sessions sealed under the new one open.
    useSecrets(NEW);
    expect(await readBrowserSession(cookieOf(before.setCookie))).toBeNull();
    expect(await readBrowserSession(cookieOf(after.setCookie))).toBe(after.sid);
    // A second rotation keeps the sessions of the first (ids do not shift with the list).
    const third = 't'.repeat(16) + 'third-secret-for-the-rotation-tst';
    useSecrets(`${third} ${NEW}`);
    expect(await readBrowserSession(cookieOf(after.setCookie))).toBe(after.sid);
  });

  it('does not open a cookie sealed under a secret it was never given', async () => {
    useSecrets(OTHER);
    const foreign = await newBrowserSession();
    useSecrets(`${NEW},${OLD}`);
    expect(await readBrowserSession(cookieOf(foreign.setCookie))).toBeNull();
  });

  it('still opens a cookie sealed with the secret as a single password (before rotation existed)', async () => {
    const sid = 's'.repeat(32);
    const legacy = await sealData({ sid }, { password: OLD, ttl: 3600 });
    useSecrets(`${NEW},${OLD}`);
    expect(await readBrowserSession(`${SESSION_COOKIE}=${legacy}`)).toBe(sid);
  });

  it.each([
    [`${NEW},short`, /at least 32/],
    [`${NEW},${NEW}`, /listed twice/],
    [' , ', /at least one/],
  ])('refuses %j at start-up', (value, message) => {
    expect(() => serverEnv({ HOUSECALL_COOKIE_SECRET: value } as unknown as NodeJS.ProcessEnv)).toThrow(message);
  });
});

describe('a tampered browser-session cookie', () => {
  it('reads back its own seal, and no session from a seal with any one byte changed', async () => {
    const { sid, setCookie } = await newBrowserSession();
    expect(await readBrowserSession(cookieOf(setCookie))).toBe(sid);
    const seal = cookieOf(setCookie).slice(SESSION_COOKIE.length + 1);
    for (const i of [0, 10, Math.floor(seal.length / 2), seal.length - 5, seal.length - 1]) {
      const flipped = seal.slice(0, i) + (seal[i] === 'A' ? 'B' : 'A') + seal.slice(i + 1);
      expect(await readBrowserSession(`${SESSION_COOKIE}=${flipped}`)).toBeNull();
    }
  });

  it('takes no session from a missing, empty or foreign cookie', async () => {
    expect(await readBrowserSession(null)).toBeNull();
    expect(await readBrowserSession(`${SESSION_COOKIE}=`)).toBeNull();
    expect(await readBrowserSession('other=abc')).toBeNull();
  });
});

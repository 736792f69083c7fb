import { describe, expect, it } from 'vitest';
import { newBrowserSession, readBrowserSession, SESSION_COOKIE } from './session';

describe('browser-session cookie', () => {
  it('reads back its own seal', async () => {
    const { sid, setCookie } = await newBrowserSession();
    expect(await readBrowserSession(setCookie.split(';')[0]!)).toBe(sid);
  });

  it('takes no session from a seal with any one byte changed', async () => {
    const { setCookie } = await newBrowserSession();
    const seal = setCookie.split(';')[0]!.slice(SESSION_COOKIE.length + 1);
    const positions = [0, 10, Math.floor(seal.length / 2), seal.length - 5, seal.length - 1];
    for (const i of positions) {
      const c = seal[i]!;
      const flipped = seal.slice(0, i) + (c === 'A' ? 'B' : 'A') + seal.slice(i + 1);
      expect(await readBrowserSession(`${SESSION_COOKIE}=${flipped}`)).toBeNull();
    }
  });

  it('takes no session from a missing, empty or foreign cookie', async () => {
    expect(await readBrowserSession(null)).toBeNull();
    expect(await readBrowserSession(`${SESSION_COOKIE}=`)).toBeNull();
    expect(await readBrowserSession('other=abc')).toBeNull();
  });
});

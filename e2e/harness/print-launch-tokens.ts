/**
 * Test helper for e2e/token-exposure.spec.ts: prints one launch's access and refresh tokens as
 * JSON, read through the store with the e2e store key, so the spec can look for them where they
 * must never be. Run with `node --conditions=react-server --import tsx`; never used by the app.
 */
import { getStore } from '../../lib/store';

async function main(): Promise<void> {
  const launchId = process.argv[2] ?? '';
  const tokens = await (await getStore()).launches.getTokens(launchId);
  process.stdout.write(JSON.stringify({ accessToken: tokens?.accessToken ?? null, refreshToken: tokens?.refreshToken ?? null }));
}

void main();

/**
 * Shared set-up for lib/smart's tests: a scripted authorization server on 127.0.0.1, the
 * plain-http opt-in while it runs, a fresh in-memory store and discovery cache per test, and
 * a registry entry pointing at that server.
 */
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { resetServerEnvForTests } from '../env';
import { openSqliteStore, StoreKey, type Store } from '../store';
import { parseSmartConfig, type SmartConfig } from './config';
import { clearDiscoveryCache } from './discovery';
import { clearIdTokenKeyCache } from './id-token';
import { startTestAuthorizationServer } from './test-authorization-server';

export type TestAuthorizationServer = Awaited<ReturnType<typeof startTestAuthorizationServer>>;

export function useTestAuthorizationServer(): { readonly as: TestAuthorizationServer; readonly store: Store } {
  const ctx = {} as { as: TestAuthorizationServer; store: Store };
  beforeAll(async () => {
    ctx.as = await startTestAuthorizationServer();
    process.env.HOUSECALL_ALLOW_INSECURE_ISSUERS = '1';
    resetServerEnvForTests();
  });
  afterAll(async () => {
    await ctx.as.close();
    delete process.env.HOUSECALL_ALLOW_INSECURE_ISSUERS;
    resetServerEnvForTests();
  });
  beforeEach(async () => {
    clearDiscoveryCache();
    clearIdTokenKeyCache();
    ctx.as.resetKeys();
    ctx.store = await openSqliteStore(':memory:', StoreKey.ephemeral());
    ctx.as.requests.length = 0;
  });
  return ctx;
}

/** A registry with one enabled plain-http issuer at `fhirBase`; `issuer` overrides any field. */
/**
 * What the test issuer asks for besides Observation reads: everything, so the proxy's cap on a
 * grant (authorize.ts `asked`) leaves the scopes each test grants its launch to decide. A test of
 * the cap passes scopes of its own.
 */
const ASKED_BY_TESTS = ['patient/*.cruds', 'user/*.cruds'];

export function testConfig(fhirBase: string, issuer: Record<string, unknown> = {}): SmartConfig {
  return parseSmartConfig(JSON.stringify({
    issuers: [{
      id: 'test', name: 'Test EHR', vendor: 'other', enabled: true, fhirBaseUrl: fhirBase, clientId: 'hc', allowInsecureHttp: true,
      clientAuth: { method: 'none' }, scopes: { clinician: ['patient/Observation.rs', ...ASKED_BY_TESTS], patient: ['patient/Observation.rs', ...ASKED_BY_TESTS] },
      ...issuer,
    }],
  }), 'test');
}

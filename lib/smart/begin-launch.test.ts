import { beforeEach, describe, expect, it, vi } from 'vitest';
import { resetServerEnvForTests } from '../env';
import { openSqliteStore, StoreKey } from '../store';
import { beginLaunch, hashState } from './begin-launch';
import { parseSmartConfig } from './config';
import { clearDiscoveryCache, discover } from './discovery';
import { LaunchError } from './errors';
import { urlOf } from './test-authorization-server';
import { logger } from '../telemetry';

const CONFIG = parseSmartConfig(JSON.stringify({
  issuers: [
    {
      id: 'test-ehr', name: 'Test EHR', vendor: 'other', enabled: true, fhirBaseUrl: 'https://ehr.test/fhir/r4', clientId: 'hc',
      clientAuth: { method: 'none' }, ehrOrigins: ['https://ehr.test'],
      scopes: { clinician: ['patient/Observation.rs'], patient: ['patient/Observation.rs'] },
    },
    {
      id: 'plain', name: 'Plain', vendor: 'sandbox', enabled: true, fhirBaseUrl: 'http://plain.test/fhir', clientId: 'hc',
      clientAuth: { method: 'none' }, allowInsecureHttp: true,
      scopes: { clinician: ['patient/Observation.rs'], patient: ['patient/Observation.rs'] },
    },
    {
      id: 'ehr-only', name: 'EHR only', vendor: 'epic', enabled: true, fhirBaseUrl: 'https://ehr-only.test/fhir', clientId: 'hc',
      clientAuth: { method: 'none' }, standalone: false,
      scopes: { clinician: ['patient/Observation.rs'], patient: ['patient/Observation.rs'] },
    },
    {
      id: 'off', name: 'Off', vendor: 'epic', enabled: false, fhirBaseUrl: 'https://off.test/fhir', clientId: '',
      clientAuth: { method: 'none' }, scopes: { clinician: ['patient/Observation.rs'], patient: ['patient/Observation.rs'] },
    },
  ],
}), 'test');

const DISCOVERY = {
  issuer: 'https://ehr.test/oauth', authorization_endpoint: 'https://ehr.test/oauth/authorize', token_endpoint: 'https://ehr.test/oauth/token',
  jwks_uri: 'https://ehr.test/oauth/jwks', capabilities: ['launch-ehr', 'permission-v2'], code_challenge_methods_supported: ['S256'],
};

function jsonFetch(body: unknown, status = 200) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

async function deps(fetchImpl: typeof fetch) {
  const store = await openSqliteStore(':memory:', StoreKey.ephemeral());
  return { config: CONFIG, store: store.launches, fetch: fetchImpl, db: store.db };
}

const input = (iss: string | null, launch: string | null = 'L-123') => ({ iss, launch, browserSessionId: 'sid-1', redirectUri: 'http://localhost:3000/redirect' });

async function errorCode(p: Promise<unknown>) {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof LaunchError ? e.code : `unexpected ${String(e)}`;
  }
}

describe('discover', () => {
  it('gives up after its time limit on a server that never answers', async () => {
    const hanging = vi.fn((_url: string, init?: RequestInit) => new Promise<Response>((_resolve, reject) => {
      init?.signal?.addEventListener('abort', () => reject(init.signal!.reason));
    }));
    // The limit it sets, not a stopwatch: the 50 ms asked for, never the 5 s default.
    const limit = vi.spyOn(AbortSignal, 'timeout');
    const err = await discover(CONFIG.issuers[0]!, hanging as unknown as typeof fetch, 50).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LaunchError);
    expect((err as LaunchError).code).toBe('discovery_failed');
    expect(limit.mock.calls).toEqual([[50]]);
    const signal = hanging.mock.calls[0]![1]!.signal!;
    expect(signal.aborted).toBe(true);
    expect((signal.reason as Error).name).toBe('TimeoutError');
    limit.mockRestore();
  });
});

describe('beginLaunch', () => {
  beforeEach(() => {
    clearDiscoveryCache();
    resetServerEnvForTests();
    delete process.env.HOUSECALL_ALLOW_INSECURE_ISSUERS;
    delete process.env.HOUSECALL_ENV;
  });

  it('builds a PKCE S256 authorization request with aud, launch, state and v2 scopes', async () => {
    const fetchImpl = jsonFetch(DISCOVERY);
    const d = await deps(fetchImpl as unknown as typeof fetch);
    const url = urlOf(await beginLaunch(input('https://ehr.test/fhir/r4'), d));
    expect(fetchImpl).toHaveBeenCalledWith('https://ehr.test/fhir/r4/.well-known/smart-configuration', expect.anything());
    expect(url.origin + url.pathname).toBe('https://ehr.test/oauth/authorize');
    const p = url.searchParams;
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.get('aud')).toBe('https://ehr.test/fhir/r4');
    expect(p.get('launch')).toBe('L-123');
    expect(p.get('scope')).toBe('openid fhirUser launch online_access patient/Observation.rs');
    const state = p.get('state')!;
    expect(Buffer.from(state, 'base64url').length).toBeGreaterThanOrEqual(16);
    // Only the hash of state is stored, bound to this browser session.
    const rows = await d.db.selectFrom('pending_authorizations').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.state_hash).toBe(hashState(state));
    expect(rows[0]!.browser_session_id).toBe('sid-1');
    expect(JSON.stringify(rows[0])).not.toContain(state);
  });

  it('asks for launch/patient in a standalone launch', async () => {
    const url = urlOf(await beginLaunch(input('https://ehr.test/fhir/r4', null), await deps(jsonFetch(DISCOVERY) as unknown as typeof fetch)));
    expect(url.searchParams.get('scope')).toContain('launch/patient');
    expect(url.searchParams.has('launch')).toBe(false);
  });

  it('posts a long authorization request where the server supports authorize-post, and redirects otherwise', async () => {
    const long = 'x'.repeat(1900);
    const post = await beginLaunch(input('https://ehr.test/fhir/r4', long), await deps(jsonFetch({ ...DISCOVERY, capabilities: ['launch-ehr', 'authorize-post'] }) as unknown as typeof fetch));
    expect(post.kind).toBe('post');
    if (post.kind === 'post') {
      expect(post.action).toBe('https://ehr.test/oauth/authorize');
      expect(post.params.launch).toBe(long);
      expect(post.params.code_challenge_method).toBe('S256');
    }
    clearDiscoveryCache();
    const redirect = await beginLaunch(input('https://ehr.test/fhir/r4', long), await deps(jsonFetch(DISCOVERY) as unknown as typeof fetch));
    expect(redirect.kind).toBe('redirect');
  });

  it('refuses a standalone launch for an issuer with standalone: false, before anything is sent', async () => {
    const fetchImpl = jsonFetch(DISCOVERY);
    const d = await deps(fetchImpl as unknown as typeof fetch);
    expect(await errorCode(beginLaunch(input('https://ehr-only.test/fhir', null), d))).toBe('standalone_not_allowed');
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(await d.db.selectFrom('pending_authorizations').selectAll().execute()).toHaveLength(0);
    // The same issuer still takes an EHR launch.
    const url = urlOf(await beginLaunch(input('https://ehr-only.test/fhir'), d));
    expect(url.searchParams.get('launch')).toBe('L-123');
  });

  it('asks for the clinician scope set in a standalone relaunch that says so, and nothing else changes', async () => {
    const clinicianConfig = parseSmartConfig(JSON.stringify({ issuers: [{ ...JSON.parse(JSON.stringify(CONFIG.issuers[0])), scopes: { clinician: ['user/Practitioner.rs'], patient: ['patient/Consent.cru'] } }] }), 'test');
    const d = { ...(await deps(jsonFetch(DISCOVERY) as unknown as typeof fetch)), config: clinicianConfig };
    const url = urlOf(await beginLaunch({ ...input('https://ehr.test/fhir/r4', null), scopesFor: 'clinician' }, d));
    expect(url.searchParams.get('scope')).toBe('openid fhirUser launch/patient online_access user/Practitioner.rs');
    expect(url.searchParams.has('launch')).toBe(false);
    clearDiscoveryCache();
    const plain = urlOf(await beginLaunch(input('https://ehr.test/fhir/r4', null), d));
    expect(plain.searchParams.get('scope')).toBe('openid fhirUser launch/patient online_access patient/Consent.cru');
  });

  it("asks a patient for the base and every portal part's scopes, and remembers only a configured part to return to", async () => {
    const partsConfig = parseSmartConfig(JSON.stringify({ issuers: [{ ...JSON.parse(JSON.stringify(CONFIG.issuers[0])), scopes: { clinician: ['user/Practitioner.rs'], patient: ['patient/Consent.cru'], portalParts: { results: ['patient/Observation.rs'] } } }] }), 'test');
    const d = { ...(await deps(jsonFetch(DISCOVERY) as unknown as typeof fetch)), config: partsConfig };
    const pendingOf = async (url: URL) => {
      const taken = await d.store.consumePending(hashState(url.searchParams.get('state')!), 'sid-1');
      return taken.ok ? taken.secret : undefined;
    };
    const again = urlOf(await beginLaunch({ ...input('https://ehr.test/fhir/r4', null), part: 'results' }, d));
    expect(again.searchParams.get('scope')).toBe('openid fhirUser launch/patient online_access patient/Consent.cru patient/Observation.rs');
    expect((await pendingOf(again))?.returnTo).toBe('results');
    const hostile = urlOf(await beginLaunch({ ...input('https://ehr.test/fhir/r4', null), part: '//evil.example' }, d));
    expect((await pendingOf(hostile))?.returnTo).toBeUndefined();
    const clinician = urlOf(await beginLaunch({ ...input('https://ehr.test/fhir/r4'), part: 'results' }, d));
    expect(clinician.searchParams.get('scope')).toBe('openid fhirUser launch online_access user/Practitioner.rs');
    expect((await pendingOf(clinician))?.returnTo).toBeUndefined();
  });

  it.each([
    [null, 'missing_issuer'],
    ['https://evil.test/fhir/r4', 'unknown_issuer'],
    ['https://ehr.test:8443/fhir/r4', 'unknown_issuer'],
    ['https://ehr.test/fhir/r4/other', 'unknown_issuer'],
    ['https://user:pw@ehr.test/fhir/r4', 'unknown_issuer'],
    ['https://ehr.test/fhir/r4?x=1', 'unknown_issuer'],
    ['http://ehr.test/fhir/r4', 'unknown_issuer'],
    ['https://off.test/fhir', 'unknown_issuer'],
    ['not a url', 'unknown_issuer'],
    ['http://plain.test/fhir', 'insecure_issuer'],
    ['https://ehr.test/FHIR/r4', 'unknown_issuer'],
  ])('refuses iss=%s with %s and sends nothing', async (iss, expected) => {
    const fetchImpl = jsonFetch(DISCOVERY);
    const d = await deps(fetchImpl as unknown as typeof fetch);
    expect(await errorCode(beginLaunch(input(iss), d))).toBe(expected);
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(await d.db.selectFrom('pending_authorizations').selectAll().execute()).toHaveLength(0);
  });

  it('allows plain http only with the named opt-in', async () => {
    process.env.HOUSECALL_ALLOW_INSECURE_ISSUERS = '1';
    const fetchImpl = jsonFetch({ ...DISCOVERY, authorization_endpoint: 'http://plain.test/auth', token_endpoint: 'http://plain.test/token', jwks_uri: undefined, issuer: undefined });
    const url = urlOf(await beginLaunch(input('http://plain.test/fhir'), await deps(fetchImpl as unknown as typeof fetch)));
    expect(url.toString()).toMatch(/^http:\/\/plain\.test\/auth\?/);
  });

  it('resolves endpoints given relative to the issuer', async () => {
    const fetchImpl = jsonFetch({ ...DISCOVERY, authorization_endpoint: '../oauth2/authorize', token_endpoint: '/oauth2/token' });
    const url = urlOf(await beginLaunch(input('https://ehr.test/fhir/r4'), await deps(fetchImpl as unknown as typeof fetch)));
    expect(`${url.origin}${url.pathname}`).toBe('https://ehr.test/fhir/oauth2/authorize');
  });

  it.each([
    ['a server error', jsonFetch({}, 500)],
    ['a body that is not JSON', vi.fn(async () => new Response('<html>', { status: 200 }))],
    ['missing endpoints', jsonFetch({ issuer: 'x' })],
    ['a non-https endpoint', jsonFetch({ ...DISCOVERY, token_endpoint: 'http://ehr.test/token' })],
    ['a network failure', vi.fn(async () => { throw new TypeError('fetch failed'); })],
  ])('ends with discovery_failed on %s', async (_label, fetchImpl) => {
    const d = await deps(fetchImpl as unknown as typeof fetch);
    expect(await errorCode(beginLaunch(input('https://ehr.test/fhir/r4'), d))).toBe('discovery_failed');
    expect(await d.db.selectFrom('pending_authorizations').selectAll().execute()).toHaveLength(0);
  });

  it.each([
    ['a trailing slash', 'https://ehr.test/fhir/r4/'],
    ['an upper-case scheme and host', 'HTTPS://EHR.TEST/fhir/r4'],
    ['a mixed-case host and a trailing slash', 'https://Ehr.Test/fhir/r4/'],
    ['the default port spelled out', 'https://ehr.test:443/fhir/r4'],
  ])('takes iss with %s as the configured issuer and sends it back as aud exactly as received', async (_label, iss) => {
    const fetchImpl = jsonFetch(DISCOVERY);
    const url = urlOf(await beginLaunch(input(iss), await deps(fetchImpl as unknown as typeof fetch)));
    expect(fetchImpl).toHaveBeenCalledWith('https://ehr.test/fhir/r4/.well-known/smart-configuration', expect.anything());
    expect(url.searchParams.get('aud')).toBe(iss);
  });

  it('refuses an oversized or empty launch parameter with authorization_error before anything is sent', async () => {
    const fetchImpl = jsonFetch(DISCOVERY);
    const d = await deps(fetchImpl as unknown as typeof fetch);
    expect(await errorCode(beginLaunch(input('https://ehr.test/fhir/r4', 'x'.repeat(2049)), d))).toBe('authorization_error');
    expect(await errorCode(beginLaunch(input('https://ehr.test/fhir/r4', ''), d))).toBe('authorization_error');
    expect(fetchImpl).not.toHaveBeenCalled();
    expect(await d.db.selectFrom('pending_authorizations').selectAll().execute()).toHaveLength(0);
    // 2048 characters is still a launch.
    expect(urlOf(await beginLaunch(input('https://ehr.test/fhir/r4', 'x'.repeat(2048)), d)).searchParams.get('launch')).toHaveLength(2048);
  });
});

describe('discover: endpoints, PKCE, cache and headers', () => {
  beforeEach(() => {
    clearDiscoveryCache();
    resetServerEnvForTests();
    delete process.env.HOUSECALL_ALLOW_INSECURE_ISSUERS;
    delete process.env.HOUSECALL_ENV;
    delete process.env.HOUSECALL_DISCOVERY_CACHE_SECONDS;
  });

  it('resolves relative endpoints against the issuer’s FHIR base', async () => {
    const fetchImpl = jsonFetch({ ...DISCOVERY, authorization_endpoint: '/oauth/authorize', token_endpoint: 'oauth/token', revocation_endpoint: '../revoke', jwks_uri: '/oauth/jwks' });
    const cfg = await discover(CONFIG.issuers[0]!, fetchImpl as unknown as typeof fetch);
    expect(cfg.authorization_endpoint).toBe('https://ehr.test/oauth/authorize');
    expect(cfg.token_endpoint).toBe('https://ehr.test/fhir/r4/oauth/token');
    expect(cfg.revocation_endpoint).toBe('https://ehr.test/fhir/revoke');
    expect(cfg.jwks_uri).toBe('https://ehr.test/oauth/jwks');
  });

  it.each([
    ['an http authorization endpoint', { authorization_endpoint: 'http://ehr.test/oauth/authorize' }],
    ['a protocol-relative endpoint on http', { token_endpoint: '//ehr.test/oauth/token' }],
    ['an http jwks_uri', { jwks_uri: 'http://ehr.test/jwks' }],
    ['an http introspection endpoint', { introspection_endpoint: 'http://ehr.test/introspect' }],
    ['a javascript: endpoint', { authorization_endpoint: 'javascript:alert(1)' }],
  ])('still refuses %s for an https issuer', async (_label, patch) => {
    // The protocol-relative case resolves against the issuer: https here, so it is refused only on an http issuer.
    const plainIssuer = { ...CONFIG.issuers[0]!, fhirBaseUrl: 'http://ehr.test/fhir/r4' };
    const issuer = _label.startsWith('a protocol-relative') ? plainIssuer : CONFIG.issuers[0]!;
    expect(await errorCode(discover(issuer, jsonFetch({ ...DISCOVERY, ...patch }) as unknown as typeof fetch))).toBe('discovery_failed');
  });

  it('refuses a server that lists PKCE methods without S256, and sends S256 to one that lists none', async () => {
    const d = await deps(jsonFetch({ ...DISCOVERY, code_challenge_methods_supported: ['plain'] }) as unknown as typeof fetch);
    expect(await errorCode(beginLaunch(input('https://ehr.test/fhir/r4'), d))).toBe('pkce_unsupported');
    expect(await d.db.selectFrom('pending_authorizations').selectAll().execute()).toHaveLength(0);
    clearDiscoveryCache();
    const { code_challenge_methods_supported: _omit, ...withoutMethods } = DISCOVERY;
    const url = urlOf(await beginLaunch(input('https://ehr.test/fhir/r4'), await deps(jsonFetch(withoutMethods) as unknown as typeof fetch)));
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
  });

  it('reuses the document for HOUSECALL_DISCOVERY_CACHE_SECONDS, then fetches it again', async () => {
    process.env.HOUSECALL_DISCOVERY_CACHE_SECONDS = '60';
    resetServerEnvForTests();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const fetchImpl = jsonFetch(DISCOVERY);
      const issuer = CONFIG.issuers[0]!;
      await discover(issuer, fetchImpl as unknown as typeof fetch);
      vi.advanceTimersByTime(59_000);
      await discover(issuer, fetchImpl as unknown as typeof fetch);
      expect(fetchImpl).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(2_000);
      await discover(issuer, fetchImpl as unknown as typeof fetch);
      expect(fetchImpl).toHaveBeenCalledTimes(2);
      // A zero TTL fetches every time.
      process.env.HOUSECALL_DISCOVERY_CACHE_SECONDS = '0';
      resetServerEnvForTests();
      await discover(issuer, fetchImpl as unknown as typeof fetch);
      expect(fetchImpl).toHaveBeenCalledTimes(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends Accept: application/json and the configured discovery headers, but not an empty one', async () => {
    const fetchImpl = jsonFetch(DISCOVERY);
    const issuer = { ...CONFIG.issuers[0]!, discoveryHeaders: { 'Epic-Client-ID': 'client-123', 'X-Empty': '', Accept: 'text/html' } };
    await discover(issuer, fetchImpl as unknown as typeof fetch);
    const init = (fetchImpl.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect(init.headers).toEqual({ 'Epic-Client-ID': 'client-123', accept: 'application/json' });
  });

  it('does not send Epic-Client-ID from the shipped registry when its client id is not set', async () => {
    const text = (await import('node:fs')).readFileSync('smart-config.json', 'utf8');
    const epic = parseSmartConfig(text, 'smart-config.json', { SANDBOX_ORIGIN: 'http://127.0.0.1:4000' } as unknown as NodeJS.ProcessEnv).issuers.find((i) => i.vendor === 'epic')!;
    const fetchImpl = jsonFetch(DISCOVERY);
    await discover(epic, fetchImpl as unknown as typeof fetch);
    expect((fetchImpl.mock.calls[0] as unknown as [string, RequestInit])[1].headers).toEqual({ accept: 'application/json' });
    clearDiscoveryCache();
    const configured = parseSmartConfig(text, 'smart-config.json', { SANDBOX_ORIGIN: 'http://127.0.0.1:4000', HOUSECALL_EPIC_CLIENT_ID: 'epic-123' } as unknown as NodeJS.ProcessEnv).issuers.find((i) => i.vendor === 'epic')!;
    await discover(configured, fetchImpl as unknown as typeof fetch);
    expect((fetchImpl.mock.calls[1] as unknown as [string, RequestInit])[1].headers).toEqual({ 'Epic-Client-ID': 'epic-123', accept: 'application/json' });
  });
});

describe('beginLaunch against a v1-only server', () => {
  beforeEach(() => {
    clearDiscoveryCache();
    resetServerEnvForTests();
  });

  it('asks for .write where a scope needs create or update, and logs the scopes that ask for delete too', async () => {
    const cfg = parseSmartConfig(JSON.stringify({ issuers: [{ ...JSON.parse(JSON.stringify(CONFIG.issuers[0])), scopes: { clinician: ['patient/Observation.rs', 'patient/DocumentReference.crus'], patient: ['patient/Observation.rs'] } }] }), 'test');
    const warn = vi.spyOn(logger, 'warn');
    try {
      const d = { ...(await deps(jsonFetch({ ...DISCOVERY, capabilities: ['launch-ehr'] }) as unknown as typeof fetch)), config: cfg };
      const url = urlOf(await beginLaunch(input('https://ehr.test/fhir/r4'), d));
      expect(url.searchParams.get('scope')).toBe('openid fhirUser launch online_access patient/Observation.read patient/DocumentReference.read patient/DocumentReference.write');
      expect(warn).toHaveBeenCalledWith({ event: 'launch.v1_write_widened', issuer: 'test-ehr', scopes: ['patient/DocumentReference.crus'] }, expect.any(String));
      warn.mockClear();
      clearDiscoveryCache();
      // A v2 server gets the scopes as written, and nothing is logged.
      await beginLaunch(input('https://ehr.test/fhir/r4'), { ...(await deps(jsonFetch(DISCOVERY) as unknown as typeof fetch)), config: cfg });
      expect(warn.mock.calls.filter((c) => (c[0] as { event?: string }).event === 'launch.v1_write_widened')).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });
});

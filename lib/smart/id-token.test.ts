import { beforeAll, describe, expect, it } from 'vitest';
import { beginLaunch } from './begin-launch';
import { completeLaunch } from './complete-launch';
import type { IssuerConfig, SmartConfig } from './config';
import { discover } from './discovery';
import { IdTokenError, maxAgeMs, verifyIdToken } from './id-token';
import { urlOf } from './test-authorization-server';
import { testConfig, useTestAuthorizationServer } from './test-harness';

const h = useTestAuthorizationServer();
let config: SmartConfig;
let issuer: IssuerConfig;
beforeAll(() => {
  config = testConfig(h.as.fhirBase);
  issuer = config.issuers[0]!;
});

async function verify(token: string, now?: () => number) {
  return verifyIdToken(token, { issuer, discovery: await discover(issuer), expectedIssuer: h.as.base, clientId: 'hc' }, { now });
}

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof IdTokenError ? e.code : `unexpected ${String(e)}`;
  }
}

describe('id_token signing keys', () => {
  it('come from OIDC discovery when the SMART configuration names no jwks_uri', async () => {
    h.as.setSmartJwksUri(false);
    expect((await verify(await h.as.idToken({}))).sub).toBe('user-1');
    expect(h.as.requests.map((r) => r.path)).toEqual(['/fhir/.well-known/smart-configuration', '/.well-known/openid-configuration', '/jwks']);
  });

  it('are fetched once for many launches of one issuer', async () => {
    const launches = async () => {
      const url = urlOf(await beginLaunch({ iss: h.as.fhirBase, launch: 'L1', browserSessionId: 'sid', redirectUri: 'http://localhost:3000/redirect' }, { config, store: h.store.launches }));
      const idToken = await h.as.idToken({ nonce: url.searchParams.get('nonce')!, fhirUser: 'Practitioner/prac-001' });
      h.as.onToken(() => ({ body: { access_token: 'AT', token_type: 'bearer', id_token: idToken, patient: 'pat-001' } }));
      const callback = new URL(`http://localhost:3000/redirect?${new URLSearchParams({ code: 'c', state: url.searchParams.get('state')! })}`);
      return completeLaunch({ callbackUrl: callback, browserSessionId: 'sid' }, { config, store: h.store.launches });
    };
    for (let i = 0; i < 3; i++) await launches();
    expect(h.as.tokenRequests()).toHaveLength(3);
    expect(h.as.jwksRequests()).toHaveLength(1);
  });

  it('are kept as long as Cache-Control max-age says, then fetched again', async () => {
    h.as.setJwksCacheControl('public, max-age=60');
    let now = Date.now();
    await verify(await h.as.idToken({}), () => now);
    now += 59_000;
    await verify(await h.as.idToken({}), () => now);
    expect(h.as.jwksRequests()).toHaveLength(1);
    now += 2_000;
    const later = Math.floor(now / 1000);
    await verify(await h.as.idToken({ iat: later, exp: later + 300 }), () => now);
    expect(h.as.jwksRequests()).toHaveLength(2);
  });

  it('are not kept at all under no-store', async () => {
    h.as.setJwksCacheControl('no-store');
    await verify(await h.as.idToken({}));
    await verify(await h.as.idToken({}));
    expect(h.as.jwksRequests()).toHaveLength(2);
  });

  it('are fetched again for an unknown kid (a rotation), and only once for it', async () => {
    await verify(await h.as.idToken({}));
    await h.as.rotateKey('k2');
    await verify(await h.as.idToken({}, { kid: 'k2' }));
    await verify(await h.as.idToken({}, { kid: 'k2' }));
    await verify(await h.as.idToken({}));
    expect(h.as.jwksRequests()).toHaveLength(2);
  });

  it('refuse a kid the issuer does not publish after one more fetch, and a wrong signature', async () => {
    await verify(await h.as.idToken({}));
    expect(await codeOf(verify(await h.as.idToken({}, { kid: 'nobody' })))).toBe('signature_invalid');
    expect(h.as.jwksRequests()).toHaveLength(2);
    expect(await codeOf(verify(await h.as.idToken({}, { wrongKey: true })))).toBe('signature_invalid');
    expect(await codeOf(verify(await h.as.idToken({ aud: 'other' })))).toBe('claims_invalid');
    expect(h.as.jwksRequests()).toHaveLength(2);
  });

  it.each([
    [null, 300_000], ['max-age=120', 120_000], ['no-cache', 0], ['private, max-age=999999', 86_400_000], ['max-age=abc', 300_000],
  ] as const)('Cache-Control %s keeps keys %d ms', (header, ms) => {
    expect(maxAgeMs(header)).toBe(ms);
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resetServerEnvForTests } from '../env';
import { openSqliteStore, StoreKey, type Store } from '../store';
import { beginLaunch } from './begin-launch';
import { publicJwks } from './client-keys';
import { completeLaunch } from './complete-launch';
import { parseSmartConfig, type SmartConfig } from './config';
import { clearDiscoveryCache } from './discovery';
import { freshAccessToken } from './refresh';
import { startTestAuthorizationServer, urlOf } from './test-authorization-server';

let as: Awaited<ReturnType<typeof startTestAuthorizationServer>>;
let store: Store;

function pem(kind: 'rsa' | 'ec'): string {
  const { privateKey } = kind === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-384' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function configFor(alg: 'RS384' | 'ES384'): SmartConfig {
  return parseSmartConfig(JSON.stringify({
    issuers: [{
      id: `jwt-${alg.toLowerCase()}`, name: 'JWT EHR', vendor: 'other', enabled: true, fhirBaseUrl: as.fhirBase, clientId: 'hc-jwt', allowInsecureHttp: true,
      clientAuth: { method: 'private_key_jwt', keyEnv: `TEST_KEY_${alg}`, alg, kid: `kid-${alg}` },
      scopes: { clinician: ['patient/Observation.rs'], patient: ['patient/Observation.rs'] },
    }],
  }), 'test');
}

beforeAll(async () => {
  as = await startTestAuthorizationServer();
  process.env.HOUSECALL_ALLOW_INSECURE_ISSUERS = '1';
  process.env.TEST_KEY_RS384 = pem('rsa');
  process.env.TEST_KEY_ES384 = Buffer.from(pem('ec')).toString('base64'); // base64 form is accepted too
  resetServerEnvForTests();
});
afterAll(async () => {
  await as.close();
  delete process.env.HOUSECALL_ALLOW_INSECURE_ISSUERS;
  resetServerEnvForTests();
});
beforeEach(async () => {
  clearDiscoveryCache();
  store = await openSqliteStore(':memory:', StoreKey.ephemeral());
  as.requests.length = 0;
});

describe.each(['RS384', 'ES384'] as const)('private_key_jwt with %s', (alg) => {
  it('signs a SMART client assertion on the code exchange and on refresh, verifiable with the served JWKS', async () => {
    const config = configFor(alg);
    const url = urlOf(await beginLaunch({ iss: as.fhirBase, launch: 'L', browserSessionId: 'sid', redirectUri: 'http://localhost:3000/redirect' }, { config, store: store.launches }));
    const nonce = url.searchParams.get('nonce')!;
    const idToken = await as.idToken({ nonce, aud: 'hc-jwt' });
    let n = 0;
    as.onToken(() => ({ body: { access_token: `AT${++n}`, token_type: 'bearer', expires_in: 30, refresh_token: `RT${n}`, id_token: idToken, patient: 'pat-001' } }));
    const launch = await completeLaunch({ callbackUrl: new URL(`http://localhost:3000/redirect?code=c&state=${url.searchParams.get('state')}`), browserSessionId: 'sid' }, { config, store: store.launches });
    await freshAccessToken(launch, { store: store.launches, config }); // expires in 30 s: refreshes now

    const jwks = createLocalJWKSet(await publicJwks(config));
    const assertions = as.tokenRequests().map((r) => r.body);
    expect(assertions).toHaveLength(2);
    const jtis = new Set<string>();
    for (const body of assertions) {
      expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      const jwt = body.get('client_assertion')!;
      expect(decodeProtectedHeader(jwt)).toMatchObject({ alg, kid: `kid-${alg}`, typ: 'JWT' });
      const { payload } = await jwtVerify(jwt, jwks, { audience: `${as.base}/token`, issuer: 'hc-jwt', subject: 'hc-jwt' });
      expect(payload.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(300);
      expect(typeof payload.jti).toBe('string');
      jtis.add(payload.jti!);
    }
    expect(jtis.size).toBe(2);
  });
});

it('serves only public key material, with kid and alg', async () => {
  const jwks = await publicJwks(configFor('RS384'));
  expect(jwks.keys).toHaveLength(1);
  expect(jwks.keys[0]).toMatchObject({ kid: 'kid-RS384', alg: 'RS384', use: 'sig', kty: 'RSA' });
  expect(jwks.keys[0]).not.toHaveProperty('d');
});

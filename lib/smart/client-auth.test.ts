import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { beginLaunch } from './begin-launch';
import { publicJwks } from './client-keys';
import { completeLaunch } from './complete-launch';
import type { SmartConfig } from './config';
import { freshAccessToken } from './refresh';
import { urlOf } from './test-authorization-server';
import { testConfig, useTestAuthorizationServer } from './test-harness';

const h = useTestAuthorizationServer();

function pem(kind: 'rsa' | 'ec'): string {
  const { privateKey } = kind === 'rsa'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : generateKeyPairSync('ec', { namedCurve: 'P-384' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function configFor(alg: 'RS384' | 'ES384'): SmartConfig {
  return testConfig(h.as.fhirBase, { id: `jwt-${alg.toLowerCase()}`, clientId: 'hc-jwt', clientAuth: { method: 'private_key_jwt', keyEnv: `TEST_KEY_${alg}`, alg, kid: `kid-${alg}` } });
}

beforeAll(() => {
  process.env.TEST_KEY_RS384 = pem('rsa');
  process.env.TEST_KEY_ES384 = Buffer.from(pem('ec')).toString('base64'); // base64 form is accepted too
});

describe.each(['RS384', 'ES384'] as const)('private_key_jwt with %s', (alg) => {
  it('signs a SMART client assertion on the code exchange and on refresh, verifiable with the served JWKS', async () => {
    const config = configFor(alg);
    const url = urlOf(await beginLaunch({ iss: h.as.fhirBase, launch: 'L', browserSessionId: 'sid', redirectUri: 'http://localhost:3000/redirect' }, { config, store: h.store.launches }));
    const nonce = url.searchParams.get('nonce')!;
    const idToken = await h.as.idToken({ nonce, aud: 'hc-jwt', fhirUser: 'Practitioner/prac-001' });
    let n = 0;
    h.as.onToken(() => ({ body: { access_token: `AT${++n}`, token_type: 'bearer', expires_in: 30, refresh_token: `RT${n}`, id_token: idToken, patient: 'pat-001' } }));
    const launch = await completeLaunch({ callbackUrl: new URL(`http://localhost:3000/redirect?code=c&state=${url.searchParams.get('state')}`), browserSessionId: 'sid' }, { config, store: h.store.launches });
    await h.store.db.updateTable('launches').set({ access_expires_at: Date.now() + 1_000 }).where('id', '=', launch.id).execute();
    await freshAccessToken(launch, { store: h.store.launches, config }); // a 30 s token with 1 s left: refreshes now

    const jwks = createLocalJWKSet(await publicJwks(config));
    const assertions = h.as.tokenRequests().map((r) => r.body);
    expect(assertions).toHaveLength(2);
    const jtis = new Set<string>();
    for (const body of assertions) {
      expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      const jwt = body.get('client_assertion')!;
      expect(decodeProtectedHeader(jwt)).toMatchObject({ alg, kid: `kid-${alg}`, typ: 'JWT' });
      const { payload } = await jwtVerify(jwt, jwks, { audience: `${h.as.base}/token`, issuer: 'hc-jwt', subject: 'hc-jwt' });
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

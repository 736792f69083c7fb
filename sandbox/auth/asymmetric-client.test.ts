/**
 * The `housecall` client registered with private_key_jwt (HOUSECALL_SANDBOX_CLIENT_AUTH): the
 * authorization server fetches Housecall's JWKS from `${HOUSECALL_URL}/.well-known/jwks.json` and
 * takes only SMART client assertions signed with that key, on the code exchange and on refresh.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed, FIXTURE_PATIENTS, FIXTURE_PRACTITIONERS } from '../../fixtures/index';
import { startSandbox, type RunningSandbox } from '../main';
import { TestBrowser, authorizeUrl, basicAuth, ehrLaunch, pkcePair, stubFhirServer } from './test-support';

let sandbox: RunningSandbox;
let jwksServer: http.Server;
let housecallUrl: string;
let key: CryptoKey;
let otherKey: CryptoKey;
let jwksFetches = 0;

beforeAll(async () => {
  const pair = await generateKeyPair('ES384');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('ES384')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'housecall-sandbox-1', alg: 'ES384', use: 'sig' };
  jwksServer = http.createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  housecallUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  sandbox = await startSandbox({
    port: 0, host: '127.0.0.1', housecallUrl, housecallClientAuth: 'private_key_jwt', seed: buildSeed(), createFhirServer: stubFhirServer, env: {},
  });
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((r) => jwksServer.close(() => r()));
});

function assertion(signingKey: CryptoKey = key): Promise<string> {
  return new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES384', kid: 'housecall-sandbox-1', typ: 'JWT' })
    .setIssuer('housecall').setSubject('housecall').setAudience(sandbox.auth.endpoints.token)
    .setIssuedAt().setExpirationTime('1m')
    .sign(signingKey);
}

async function token(body: Record<string, string>, auth: 'jwt' | 'other-key' | 'basic' = 'jwt') {
  const form = new URLSearchParams(body);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth === 'basic') headers.authorization = basicAuth('housecall', 'sandbox-only-secret-not-for-production');
  else {
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', await assertion(auth === 'jwt' ? key : otherKey));
  }
  const response = await fetch(sandbox.auth.endpoints.token, { method: 'POST', headers, body: form });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function code() {
  const browser = new TestBrowser();
  const { launch } = await ehrLaunch(sandbox, browser, FIXTURE_PRACTITIONERS[0]!.id, FIXTURE_PATIENTS[0]!.id);
  const { verifier, challenge } = pkcePair();
  const redirectUri = `${housecallUrl}/redirect`;
  const { url } = await browser.follow(authorizeUrl(sandbox, { scope: 'launch openid fhirUser offline_access patient/Observation.rs', launch, challenge, redirectUri }), redirectUri);
  return { code: url.searchParams.get('code')!, verifier, redirectUri };
}

describe('housecall registered with private_key_jwt', () => {
  it('advertises asymmetric client authentication', async () => {
    const doc = await (await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`)).json() as Record<string, string[]>;
    expect(doc.token_endpoint_auth_methods_supported).toContain('private_key_jwt');
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS384', 'ES384']));
    expect(doc.capabilities).toContain('client-confidential-asymmetric');
  });

  it('exchanges a code and refreshes with client assertions signed by the key its JWKS publishes', async () => {
    const { code: c, verifier, redirectUri } = await code();
    const first = await token({ grant_type: 'authorization_code', code: c, code_verifier: verifier, redirect_uri: redirectUri });
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).toBeTruthy();
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: String(first.json.refresh_token) });
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.access_token).toBeTruthy();
    expect(jwksFetches).toBeGreaterThanOrEqual(1);
  });

  it('refuses an assertion signed with another key, and the shared secret', async () => {
    const { code: c, verifier, redirectUri } = await code();
    const body = { grant_type: 'authorization_code', code: c, code_verifier: verifier, redirect_uri: redirectUri };
    expect(await token(body, 'other-key')).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
    expect(await token(body, 'basic')).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
  });
});

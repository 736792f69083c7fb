/**
 * SMART Backend Services at the sandbox's authorization server: `housecall-backend` gets a
 * `system/` token with client_credentials and a private_key_jwt assertion, and every assertion a
 * real EHR refuses is refused here too, with `invalid_client` (aud other than the token endpoint,
 * sub other than the client, longer than five minutes, no kid, another key, a replayed jti).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed } from '../../fixtures/index';
import { startSandbox, type RunningSandbox } from '../main';
import { basicAuth, stubFhirServer } from './test-support';

const CLIENT = 'housecall-backend';
const KID = 'housecall-backend-1';
let sandbox: RunningSandbox;
let jwksServer: http.Server;
let key: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES384');
  key = pair.privateKey;
  otherKey = (await generateKeyPair('ES384')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'ES384', use: 'sig' };
  jwksServer = http.createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  const housecallUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}`;
  sandbox = await startSandbox({ port: 0, host: '127.0.0.1', housecallUrl, seed: buildSeed(), createFhirServer: stubFhirServer, env: {} });
});
afterAll(async () => {
  await sandbox?.close();
  await new Promise<void>((r) => jwksServer.close(() => r()));
});

interface AssertionOptions {
  aud?: string | string[];
  sub?: string;
  iss?: string;
  expiresIn?: string;
  kid?: string | null;
  signWith?: CryptoKey;
  jti?: string;
}

function assertion(o: AssertionOptions = {}): Promise<string> {
  const header = o.kid === null ? { alg: 'ES384', typ: 'JWT' } : { alg: 'ES384', typ: 'JWT', kid: o.kid ?? KID };
  return new SignJWT({ jti: o.jti ?? randomUUID() })
    .setProtectedHeader(header)
    .setIssuer(o.iss ?? CLIENT).setSubject(o.sub ?? CLIENT).setAudience(o.aud ?? sandbox.auth.endpoints.token)
    .setIssuedAt().setExpirationTime(o.expiresIn ?? '4m')
    .sign(o.signWith ?? key);
}

async function token(scope: string, clientAssertion: string, extra: Record<string, string> = {}) {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    scope,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: clientAssertion,
    ...extra,
  });
  const response = await fetch(sandbox.auth.endpoints.token, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('client_credentials with private_key_jwt', () => {
  it('issues a short-lived token with the registered system scopes asked for, which acts for the client only', async () => {
    const res = await token('system/Group.rs system/Patient.rs system/Observation.rs', await assertion());
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ token_type: 'Bearer', scope: 'system/Group.rs system/Patient.rs system/Observation.rs' });
    expect(res.json.refresh_token).toBeUndefined();
    expect(Number(res.json.expires_in)).toBeLessThanOrEqual(300);
    const info = await sandbox.auth.introspect(String(res.json.access_token));
    expect(info).toMatchObject({ clientId: CLIENT, sub: CLIENT, system: true, scope: 'system/Group.rs system/Patient.rs system/Observation.rs' });
    expect(info?.fhirUser).toBeUndefined();
    expect(info?.patient).toBeUndefined();
  });

  it('drops system scopes the client is not registered for, and refuses a request left with none', async () => {
    const some = await token('system/Group.rs system/Consent.rs', await assertion());
    expect(some.json.scope).toBe('system/Group.rs');
    expect(await token('system/Consent.rs', await assertion())).toMatchObject({ status: 400, json: { error: 'invalid_scope' } });
    expect(await token('user/Patient.rs patient/*.rs', await assertion())).toMatchObject({ status: 400, json: { error: 'invalid_scope' } });
  });

  it.each([
    ['aud is the issuer, not the token endpoint', () => assertion({ aud: sandbox.auth.issuer })],
    ['aud lists the token endpoint among others', () => assertion({ aud: [sandbox.auth.endpoints.token, 'https://elsewhere.example'] })],
    ['sub is not the client', () => assertion({ sub: 'someone-else' })],
    ['iss is not the client', () => assertion({ iss: 'someone-else' })],
    ['it is valid for ten minutes', () => assertion({ expiresIn: '10m' })],
    ['its header names no key', () => assertion({ kid: null })],
    ['it is signed with another key', () => assertion({ signWith: otherKey })],
  ])('refuses an assertion when %s (invalid_client)', async (_why, make) => {
    expect(await token('system/Group.rs', await make())).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
  });

  it('refuses a replayed assertion (same jti)', async () => {
    const once = await assertion({ jti: randomUUID() });
    expect((await token('system/Group.rs', once)).status).toBe(200);
    expect(await token('system/Group.rs', once)).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
  });

  it('gives the client_credentials grant to no other client', async () => {
    const form = new URLSearchParams({ grant_type: 'client_credentials', scope: 'system/Group.rs' });
    const res = await fetch(sandbox.auth.endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('housecall', 'sandbox-only-secret-not-for-production') },
      body: form,
    });
    expect(res.status).toBe(400);
    // oidc-provider's answer for a grant type the client is not registered for.
    expect(await res.json()).toMatchObject({ error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
  });

  it('advertises the grant and system scopes in discovery', async () => {
    const doc = (await (await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`)).json()) as Record<string, string[]>;
    expect(doc.grant_types_supported).toContain('client_credentials');
    expect(doc.scopes_supported).toContain('system/*.rs');
  });
});

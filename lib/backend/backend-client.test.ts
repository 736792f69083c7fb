/**
 * The Backend Services client against a scripted token endpoint and FHIR server (the network is
 * the injected fetch): the assertion it signs, token reuse until a minute before expiry, one
 * token request for many callers, one retry after a 401, and clear errors.
 */
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { issuerSchema } from '../smart/config-schema';
import { createBackendClient, TOKEN_MARGIN_MS } from './backend-client';
import { BackendError } from './errors';

const pem = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = createPublicKey(pem).export({ type: 'spki', format: 'pem' }).toString();
const TOKEN_URL = 'https://ehr.example/oauth/token';
const issuer = issuerSchema.parse({
  id: 'test-ehr', name: 'Test EHR', vendor: 'other', enabled: true, fhirBaseUrl: 'https://ehr.example/fhir', clientId: 'launch-client',
  clientAuth: { method: 'none' },
  scopes: { clinician: ['patient/Patient.rs'], patient: ['patient/Patient.rs'] },
  backend: { clientId: 'backend-client', keyEnv: 'TEST_BACKEND_KEY', alg: 'ES384', kid: 'backend-1', scopes: ['system/Group.rs', 'system/Observation.rs'] },
});
const env = { TEST_BACKEND_KEY: pem } as unknown as NodeJS.ProcessEnv;

interface Script {
  tokenStatus?: number;
  expiresIn?: number;
  grantedScope?: string;
  /** FHIR statuses to answer in order (then 200). */
  fhirStatuses?: number[];
}

function scripted(script: Script = {}) {
  const calls = { token: [] as URLSearchParams[], fhir: [] as { url: string; auth: string | null }[] };
  let issued = 0;
  const statuses = [...(script.fhirStatuses ?? [])];
  const fetchImpl = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url === TOKEN_URL) {
      const body = new URLSearchParams(String(init?.body ?? (input instanceof Request ? await input.text() : '')));
      calls.token.push(body);
      await new Promise((r) => setTimeout(r, 5));
      if (script.tokenStatus && script.tokenStatus !== 200) {
        return new Response(JSON.stringify({ error: 'invalid_client' }), { status: script.tokenStatus, headers: { 'content-type': 'application/json' } });
      }
      issued++;
      return new Response(JSON.stringify({ access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: script.expiresIn ?? 300, scope: script.grantedScope ?? 'system/Group.rs system/Observation.rs' }), { status: 200, headers: { 'content-type': 'application/json' } });
    }
    const headers = new Headers(init?.headers);
    calls.fhir.push({ url, auth: headers.get('authorization') });
    const status = statuses.shift() ?? 200;
    return new Response(JSON.stringify(status === 200 ? { resourceType: 'Bundle', type: 'searchset', entry: [] } : { resourceType: 'OperationOutcome', issue: [] }), { status, headers: { 'content-type': 'application/fhir+json' } });
  }) as typeof fetch;
  return { fetchImpl, calls };
}

function client(script: Script = {}, clock = { t: 1_000_000 }) {
  const s = scripted(script);
  const c = createBackendClient({ issuer, env, fetch: s.fetchImpl, now: () => clock.t, discover: async () => ({ issuer: 'https://ehr.example', token_endpoint: TOKEN_URL }) });
  return { c, calls: s.calls, clock };
}

describe('createBackendClient', () => {
  it('asks for the configured system scopes with a SMART client assertion signed by its key', async () => {
    const { c, calls } = client();
    await c.read('Group?identifier=x');
    const body = calls.token[0]!;
    expect(body.get('grant_type')).toBe('client_credentials');
    expect(body.get('scope')).toBe('system/Group.rs system/Observation.rs');
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const jwt = body.get('client_assertion')!;
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'ES384', kid: 'backend-1', typ: 'JWT' });
    const { payload } = await jwtVerify(jwt, await importSPKI(publicPem, 'ES384'), { audience: TOKEN_URL });
    expect(payload).toMatchObject({ iss: 'backend-client', sub: 'backend-client', aud: TOKEN_URL });
    expect(typeof payload.jti).toBe('string');
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(300);
    expect(calls.fhir[0]).toEqual({ url: 'https://ehr.example/fhir/Group?identifier=x', auth: 'Bearer tok-1' });
    expect(c.grantedScopes()).toEqual(['system/Group.rs', 'system/Observation.rs']);
  });

  it('reuses the token until a minute before it expires, then fetches a new one', async () => {
    const { c, calls, clock } = client({ expiresIn: 300 });
    await c.read('Patient/a');
    clock.t += 300_000 - TOKEN_MARGIN_MS - 1;
    await c.read('Patient/b');
    expect(calls.token).toHaveLength(1);
    clock.t += 2;
    await c.read('Patient/c');
    expect(calls.token).toHaveLength(2);
    expect(calls.fhir.map((f) => f.auth)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('sends one token request for many callers at once', async () => {
    const { c, calls } = client();
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.read(`Patient/p${i}`)));
    expect(calls.token).toHaveLength(1);
    expect(calls.fhir).toHaveLength(8);
  });

  it('after a 401 takes a new token and tries once more, and no more than once', async () => {
    const { c, calls } = client({ fhirStatuses: [401] });
    await c.read('Patient/a');
    expect(calls.token).toHaveLength(2);
    expect(calls.fhir.map((f) => f.auth)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    const again = client({ fhirStatuses: [401, 401] });
    await expect(again.c.read('Patient/a')).rejects.toMatchObject({ code: 'backend_fhir_failed', status: 401 });
    expect(again.calls.fhir).toHaveLength(2);
  });

  it('reports a refused token, a missing key and an EHR error with stable codes', async () => {
    const refused = client({ tokenStatus: 401 });
    const error = await refused.c.read('Patient/a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toMatchObject({ code: 'backend_token_failed' });
    // A failed request is not cached: the next call asks again.
    await refused.c.read('Patient/a').catch(() => undefined);
    expect(refused.calls.token).toHaveLength(2);

    const noKey = createBackendClient({ issuer, env: {} as NodeJS.ProcessEnv, discover: async () => ({ token_endpoint: TOKEN_URL }) });
    await expect(noKey.read('Patient/a')).rejects.toMatchObject({ code: 'backend_key_missing' });
    await expect(client({ fhirStatuses: [403] }).c.read('Condition?patient=x')).rejects.toMatchObject({ code: 'backend_fhir_failed', status: 403 });
  });

  it('refuses an absolute URL or a path that climbs out of the FHIR base', async () => {
    const { c, calls } = client();
    await expect(c.read('https://elsewhere.example/Patient')).rejects.toMatchObject({ code: 'backend_fhir_failed' });
    await expect(c.read('../admin')).rejects.toMatchObject({ code: 'backend_fhir_failed' });
    expect(calls.fhir).toHaveLength(0);
  });
});

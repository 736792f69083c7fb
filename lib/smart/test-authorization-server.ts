/**
 * A scriptable OAuth authorization server on 127.0.0.1 for lib/smart's tests: discovery, a
 * JWKS, a token endpoint and a revocation endpoint whose answers each test sets. It records
 * every request it receives, so tests can assert that nothing was sent.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';

export interface RecordedRequest {
  path: string;
  /** The query string's parameters (FHIR searches). */
  query: URLSearchParams;
  body: URLSearchParams;
  authorization?: string;
  contentType?: string;
  /** Every header as received. */
  headers: http.IncomingHttpHeaders;
}

export type TokenReply = { status?: number; body: unknown; raw?: string; delayMs?: number };

export async function startTestAuthorizationServer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  // Signing keys by kid; the JWKS publishes `published` of them (a rotation adds one).
  const signing = new Map<string, CryptoKey>([['k1', privateKey as CryptoKey]]);
  let published: Record<string, unknown>[] = [jwk];
  let jwksCacheControl: string | null = null;
  let smartJwksUri = true;
  let revokeReply: (token: string) => TokenReply = () => ({ status: 200, body: {} });
  let fhirReply: (req: RecordedRequest & { method: string; url: string; bearer?: string }) => TokenReply = () => ({ status: 404, body: {} });
  const requests: RecordedRequest[] = [];
  let tokenReply: (req: RecordedRequest) => TokenReply = () => ({ status: 500, body: { error: 'server_error' } });
  let capabilities = ['launch-ehr', 'launch-standalone', 'permission-v2'];
  let discoveryExtra: Record<string, unknown> = {};

  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', async () => {
      const path = (req.url ?? '').split('?')[0]!;
      const rec: RecordedRequest = { path, query: new URLSearchParams((req.url ?? '').split('?')[1] ?? ''), body: new URLSearchParams(data), authorization: req.headers.authorization, contentType: req.headers['content-type'], headers: req.headers };
      requests.push(rec);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/fhir/.well-known/smart-configuration') {
        return json(200, {
          issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`, revocation_endpoint: `${base}/revoke`,
          ...(smartJwksUri ? { jwks_uri: `${base}/jwks` } : {}), capabilities, code_challenge_methods_supported: ['S256'], ...discoveryExtra,
        });
      }
      if (path === '/.well-known/openid-configuration') return json(200, { issuer: base, jwks_uri: `${base}/jwks` });
      if (path === '/jwks') {
        res.writeHead(200, { 'content-type': 'application/json', ...(jwksCacheControl ? { 'cache-control': jwksCacheControl } : {}) });
        return res.end(JSON.stringify({ keys: published }));
      }
      if (path.startsWith('/fhir/')) {
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const reply = fhirReply({ ...rec, method: req.method ?? 'GET', url: req.url ?? '', bearer });
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/fhir+json' });
        return res.end(reply.raw ?? JSON.stringify(reply.body));
      }
      if (path === '/revoke') {
        const reply = revokeReply(rec.body.get('token') ?? '');
        return json(reply.status ?? 200, reply.body);
      }
      if (path === '/token') {
        const reply = tokenReply(rec);
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
        return res.end(reply.raw ?? JSON.stringify(reply.body));
      }
      json(404, {});
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    base,
    fhirBase: `${base}/fhir`,
    requests,
    tokenRequests: () => requests.filter((r) => r.path === '/token'),
    onToken(fn: typeof tokenReply) {
      tokenReply = fn;
    },
    setCapabilities(c: string[]) {
      capabilities = c;
    },
    /** Overrides or adds fields of the discovery document (an empty object restores it). */
    setDiscovery(extra: Record<string, unknown>) {
      discoveryExtra = extra;
    },
    /** How the revocation endpoint answers, per token. */
    onRevoke(fn: typeof revokeReply) {
      revokeReply = fn;
    },
    /** How the FHIR server under /fhir answers (the request's bearer token is given). */
    onFhir(fn: typeof fhirReply) {
      fhirReply = fn;
    },
    jwksRequests: () => requests.filter((r) => r.path === '/jwks'),
    /** The JWKS response's Cache-Control header, or none. */
    setJwksCacheControl(value: string | null) {
      jwksCacheControl = value;
    },
    /** Whether the SMART configuration names `jwks_uri` (without it, OIDC discovery must). */
    setSmartJwksUri(present: boolean) {
      smartJwksUri = present;
    },
    /** A new signing key `kid`, published beside the old ones; tokens signed with it from then on by asking for that kid. */
    async rotateKey(kid: string) {
      const pair = await generateKeyPair('RS256');
      signing.set(kid, pair.privateKey as CryptoKey);
      published = [...published, { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' }];
    },
    /** Back to the first key only, the JWKS without Cache-Control, jwks_uri in the SMART configuration. */
    resetKeys() {
      published = [jwk];
      jwksCacheControl = null;
      smartJwksUri = true;
      fhirReply = () => ({ status: 404, body: {} });
      revokeReply = () => ({ status: 200, body: {} });
    },
    /** Signs an id_token; `options` corrupt it in the ways a hostile or broken server might. */
    async idToken(claims: JWTPayload, options: { kid?: string; wrongKey?: boolean; algNone?: boolean } = {}): Promise<string> {
      const now = Math.floor(Date.now() / 1000);
      const payload = { iss: base, aud: 'hc', sub: 'user-1', iat: now, exp: now + 300, ...claims };
      if (options.algNone) {
        const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
        return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(payload)}.`;
      }
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'k1', typ: 'JWT' })
        .sign(options.wrongKey ? other.privateKey : (signing.get(options.kid ?? 'k1') ?? privateKey));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The redirect URL of an authorization request; fails the test when it is a form post. */
export function urlOf(req: { kind: 'redirect'; url: URL } | { kind: 'post' }): URL {
  if (req.kind !== 'redirect') throw new Error('expected a redirect, got a form post');
  return req.url;
}

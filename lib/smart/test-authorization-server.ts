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
  body: URLSearchParams;
  authorization?: string;
  contentType?: string;
}

export type TokenReply = { status?: number; body: unknown; raw?: string; delayMs?: number };

export async function startTestAuthorizationServer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const requests: RecordedRequest[] = [];
  let tokenReply: (req: RecordedRequest) => TokenReply = () => ({ status: 500, body: { error: 'server_error' } });
  let capabilities = ['launch-ehr', 'launch-standalone', 'permission-v2'];
  let discoveryExtra: Record<string, unknown> = {};

  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', async () => {
      const path = (req.url ?? '').split('?')[0]!;
      const rec: RecordedRequest = { path, body: new URLSearchParams(data), authorization: req.headers.authorization, contentType: req.headers['content-type'] };
      requests.push(rec);
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (path === '/fhir/.well-known/smart-configuration') {
        return json(200, {
          issuer: base, authorization_endpoint: `${base}/authorize`, token_endpoint: `${base}/token`, revocation_endpoint: `${base}/revoke`,
          jwks_uri: `${base}/jwks`, capabilities, code_challenge_methods_supported: ['S256'], ...discoveryExtra,
        });
      }
      if (path === '/jwks') return json(200, { keys: [jwk] });
      if (path === '/revoke') return json(200, {});
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
        .sign(options.wrongKey ? other.privateKey : privateKey);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The redirect URL of an authorization request; fails the test when it is a form post. */
export function urlOf(req: { kind: 'redirect'; url: URL } | { kind: 'post' }): URL {
  if (req.kind !== 'redirect') throw new Error('expected a redirect, got a form post');
  return req.url;
}

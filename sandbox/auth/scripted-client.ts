/**
 * A scripted OAuth client for the sandbox's authorization server: a tiny cookie-carrying
 * "browser" that follows redirects one by one, PKCE, the authorize URL, the token request and an
 * EHR launch. Shared by the sandbox tests (through test-support.ts) and the benchmarks, so it
 * imports nothing test-only.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RunningSandbox } from '../main';

/**
 * What the scripted client needs of a sandbox: its origin, FHIR base and OAuth endpoints. A
 * RunningSandbox in this process has them; so does one in another process, from its discovery.
 */
export type SandboxEndpoints = Pick<RunningSandbox, 'origin' | 'fhirBase'> & { auth: { endpoints: Pick<RunningSandbox['auth']['endpoints'], 'authorize' | 'token'> } };

export const HOUSECALL_URL = 'http://localhost:39999';
export const HOUSECALL_REDIRECT = `${HOUSECALL_URL}/redirect`;
export const HOUSECALL_SECRET = 'test-secret-for-the-sandbox-only';

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/** Follows redirects one at a time and carries cookies (by name and path; one host only). */
export class TestBrowser {
  private readonly cookies: StoredCookie[] = [];

  /** The Cookie header this browser sends to `url`. */
  cookieHeader(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const attr = (key: string) =>
        attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attr('path') ?? (url.pathname.replace(/\/[^/]*$/, '') || '/');
      const expires = attr('expires');
      const removed = !value || attr('max-age') === '0' || (expires !== undefined && Date.parse(expires) < Date.now());
      const index = this.cookies.findIndex((c) => c.name === name && c.path === path);
      if (index >= 0) this.cookies.splice(index, 1);
      if (!removed) this.cookies.push({ name, value, path });
    }
  }

  async request(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(input);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, response);
    return response;
  }

  /**
   * GETs `start` and follows redirects until one leaves for `stopAt` (returned, not fetched)
   * or a non-redirect response arrives (returned with its URL).
   */
  async follow(start: string | URL, stopAt: string): Promise<{ url: URL; response?: Response }> {
    let url = new URL(start);
    for (let hop = 0; hop < 20; hop += 1) {
      if (url.href.startsWith(stopAt)) return { url };
      const response = await this.request(url);
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || !location) return { url, response };
      await response.arrayBuffer();
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface AuthorizeInput {
  scope: string;
  launch?: string;
  clientId?: string;
  redirectUri?: string;
  aud?: string;
  challenge?: string | null;
  challengeMethod?: string | null;
  state?: string;
}

export function authorizeUrl(sandbox: SandboxEndpoints, input: AuthorizeInput): URL {
  const url = new URL(sandbox.auth.endpoints.authorize);
  const params: Record<string, string | null | undefined> = {
    response_type: 'code',
    client_id: input.clientId ?? 'housecall',
    redirect_uri: input.redirectUri ?? HOUSECALL_REDIRECT,
    scope: input.scope,
    state: input.state ?? randomBytes(16).toString('base64url'),
    aud: input.aud ?? sandbox.fhirBase,
    launch: input.launch,
    code_challenge: input.challenge,
    code_challenge_method: input.challengeMethod === undefined ? 'S256' : input.challengeMethod,
  };
  for (const [key, value] of Object.entries(params)) if (value) url.searchParams.set(key, value);
  return url;
}

export function basicAuth(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;
}

/** POSTs to the token endpoint as `housecall` (or a public client when `clientId` is given). */
export async function tokenRequest(
  sandbox: SandboxEndpoints,
  body: Record<string, string>,
  clientId = 'housecall',
): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  const form = new URLSearchParams(body);
  if (clientId === 'housecall') headers.authorization = basicAuth(clientId, HOUSECALL_SECRET);
  else form.set('client_id', clientId);
  const response = await fetch(sandbox.auth.endpoints.token, { method: 'POST', headers, body: form });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Opens the EHR page with a launch and returns the launch id from the app frame's URL. */
export async function ehrLaunch(
  sandbox: Pick<SandboxEndpoints, 'origin'>,
  browser: TestBrowser,
  practitioner: string,
  patient: string,
): Promise<{ launch: string; frameSrc: URL; html: string }> {
  const response = await browser.request(
    `${sandbox.origin}/ehr?practitioner=${practitioner}&patient=${patient}&autolaunch=1`,
  );
  const html = await response.text();
  const src = /data-testid="ehr-frame"[^>]*\ssrc="([^"]+)"/.exec(html)?.[1];
  if (response.status !== 200 || !src) throw new Error(`EHR page did not launch (${response.status})`);
  const frameSrc = new URL(src.replaceAll('&amp;', '&'));
  return { launch: frameSrc.searchParams.get('launch') ?? '', frameSrc, html };
}

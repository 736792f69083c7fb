import { readFileSync } from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';

/** The shipped worker itself, evaluated without a ServiceWorkerGlobalScope: only its pure policy loads. */
interface Policy {
  decide(r: { method: string; url: string; mode?: string; origin: string; headers?: Record<string, string> }): 'bypass' | 'static' | 'navigate';
  mayStore(r: { status: number; type: string; cacheControl: string | null }): boolean;
  assetsOf(html: string, origin: string): string[];
  staleCaches(names: string[], current: string): string[];
  SHELL_PATH: string;
}
function loadPolicy(): Policy {
  const source = readFileSync(path.resolve(import.meta.dirname, '../../public/sw.js'), 'utf8');
  const self: { HousecallServiceWorker?: Policy } = {};
  vm.runInNewContext(source, { self, URL });
  return self.HousecallServiceWorker!;
}

const policy = loadPolicy();
const origin = 'https://housecall.example';
const launch = 'AbCdEfGhIjKlMnOpQrSt_-12';
const get = (p: string, extra: { mode?: string; headers?: Record<string, string>; method?: string } = {}) =>
  policy.decide({ method: extra.method ?? 'GET', url: p.startsWith('http') ? p : origin + p, origin, ...(extra.mode ? { mode: extra.mode } : {}), ...(extra.headers ? { headers: extra.headers } : {}) });

describe('service worker: what may be answered from the cache', () => {
  it('serves versioned static assets cache-first', () => {
    for (const p of ['/_next/static/chunks/app-3f9a.js', '/_next/static/css/a1b2.css', '/_next/static/media/font.woff2', '/favicon.ico', '/icon.png', '/fonts/inter.woff2']) {
      expect(get(p), p).toBe('static');
    }
  });

  it('answers page navigations from the network, with the offline shell only as a fallback', () => {
    for (const p of [`/l/${launch}/portal`, `/l/${launch}/portal/contact`, `/l/${launch}/chart`, '/', policy.SHELL_PATH]) expect(get(p, { mode: 'navigate' }), p).toBe('navigate');
  });

  it('never touches the API, the OAuth routes, share links, sign-out or the worker itself', () => {
    const never = [
      `/api/l/${launch}/fhir/Patient/pat-001`, '/api/metrics', `/api/l/${launch}/client-metrics`, '/launch?iss=x&launch=y', '/redirect?code=c&state=s',
      '/share/tok123', `/l/${launch}/signout`, '/signed-out?wipe=0123', '/.well-known/jwks.json', '/sw.js?v=1', '/support/audit',
    ];
    for (const p of never) {
      expect(get(p), p).toBe('bypass');
      expect(get(p, { mode: 'navigate' }), `${p} (navigation)`).toBe('bypass');
    }
  });

  it('never stores a document or its file: the Binary read through the proxy, the document page, the blob: the page shows it from', async () => {
    const { fhirResponse } = await import('@/lib/fhir/respond');
    for (const p of [`/api/l/${launch}/fhir/Binary/bin-001-v1`, `/api/l/${launch}/fhir/DocumentReference/doc-001-v1`]) {
      expect(get(p), p).toBe('bypass');
      expect(get(p, { mode: 'navigate' }), `${p} (navigation)`).toBe('bypass');
    }
    // The document page is a navigation: the network's answer, never stored (the shell only without a network).
    expect(get(`/l/${launch}/portal/documents/doc-001-v1`, { mode: 'navigate' })).toBe('navigate');
    expect(get(`/l/${launch}/portal/documents/doc-001-v1`)).toBe('bypass');
    expect(get(`blob:${origin}/5d2c7f0e-1111-4c2b-9a55-3f2a4b1c0d9e`)).toBe('bypass');
    // And were it ever asked, the proxy's answer says no-store, which the worker refuses to keep.
    const answer = fhirResponse(200, { resourceType: 'Binary', contentType: 'application/pdf', data: 'JVBERi0=' });
    expect(policy.mayStore({ status: 200, type: 'basic', cacheControl: answer.headers.get('cache-control') })).toBe(false);
  });

  it('never answers React Server Component payloads (they carry the page’s data)', () => {
    expect(get(`/l/${launch}/portal?_rsc=1x2y`)).toBe('bypass');
    expect(get(`/l/${launch}/portal`, { headers: { rsc: '1' } })).toBe('bypass');
    expect(get(`/l/${launch}/portal`, { headers: { 'next-router-state-tree': '%5B%5D' } })).toBe('bypass');
    expect(get(`/l/${launch}/portal`, { mode: 'navigate', headers: { rsc: '1' } })).toBe('bypass');
  });

  it('leaves alone anything with a query string, other origins, and every method but GET', () => {
    expect(get('/_next/static/chunks/a.js?state=abc')).toBe('bypass');
    expect(get('https://ehr.example/_next/static/chunks/a.js')).toBe('bypass');
    expect(get('/_next/static/chunks/a.js', { method: 'POST' })).toBe('bypass');
    expect(get(`/l/${launch}/portal`, { method: 'POST', mode: 'navigate' })).toBe('bypass');
    expect(get(`/l/${launch}/portal`)).toBe('bypass');
    expect(get('not a url')).toBe('bypass');
  });

  it('stores only same-origin 200 responses that are not no-store or private', () => {
    expect(policy.mayStore({ status: 200, type: 'basic', cacheControl: 'public, max-age=31536000, immutable' })).toBe(true);
    expect(policy.mayStore({ status: 200, type: 'basic', cacheControl: null })).toBe(true);
    expect(policy.mayStore({ status: 200, type: 'basic', cacheControl: 'no-cache' })).toBe(true);
    expect(policy.mayStore({ status: 200, type: 'basic', cacheControl: 'no-store' })).toBe(false);
    expect(policy.mayStore({ status: 200, type: 'basic', cacheControl: 'max-age=0, Private' })).toBe(false);
    expect(policy.mayStore({ status: 200, type: 'basic', cacheControl: 'private="set-cookie"' })).toBe(false);
    expect(policy.mayStore({ status: 200, type: 'opaque', cacheControl: null })).toBe(false);
    expect(policy.mayStore({ status: 404, type: 'basic', cacheControl: null })).toBe(false);
    expect(policy.mayStore({ status: 206, type: 'basic', cacheControl: null })).toBe(false);
  });

  it('precaches only the static assets the shell names', () => {
    const html = `<link rel="stylesheet" href="/_next/static/css/a.css"/><script src="/_next/static/chunks/b.js" async=""></script>
      <script src="/_next/static/chunks/b.js"></script><a href="/l/${launch}/portal">x</a><script src="https://cdn.example/x.js"></script><link href="/api/metrics"/>`;
    expect(policy.assetsOf(html, origin)).toEqual([`${origin}/_next/static/css/a.css`, `${origin}/_next/static/chunks/b.js`]);
  });

  it('deletes the shell caches of older builds when a new worker activates, and nothing else', () => {
    expect(policy.staleCaches(['housecall-shell-abc', 'housecall-shell-new', 'other-app', 'housecall-notes'], 'housecall-shell-new')).toEqual(['housecall-shell-abc']);
  });
});

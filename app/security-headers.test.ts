import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resetServerEnvForTests } from '@/lib/env';
import { sha256Source } from '@/lib/smart';
import { config, proxy } from '../proxy';

vi.mock('@/lib/smart/static-shell', async (original) => ({
  ...(await original<typeof import('@/lib/smart/static-shell')>()),
  offlineShellHashes: () => ({ scripts: [sha256Source('shell()')], styles: [] }),
}));

function request(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return new NextRequest(new URL(path, 'http://localhost:3000'), init);
}

function scriptSrc(csp: string | null): string[] {
  return csp?.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src '))?.split(/\s+/).slice(1) ?? [];
}

afterEach(() => {
  vi.unstubAllEnvs();
  resetServerEnvForTests();
});

describe('proxy: security headers (issue 10, "the browser is told what to trust")', () => {
  it('gives each page a fresh nonce, and hands the same policy and nonce to Next.js on the request', async () => {
    const a = await proxy(request('/'));
    const b = await proxy(request('/'));
    const csp = a.headers.get('content-security-policy');
    const nonce = /'nonce-([^']+)'/.exec(csp ?? '')?.[1];
    expect(nonce).toBeDefined();
    expect(scriptSrc(csp)).toEqual([`'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    // NextResponse.next({ request: { headers } }) forwards these to the page renderer.
    expect(a.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    expect(a.headers.get('x-middleware-request-x-nonce')).toBe(nonce);
    expect(b.headers.get('content-security-policy')).not.toContain(`'nonce-${nonce}'`);
    expect(csp).toContain('report-uri /api/csp-report');
  });

  it('allows the prerendered offline shell’s scripts by hash, with no nonce', async () => {
    const csp = (await proxy(request('/offline'))).headers.get('content-security-policy');
    expect(scriptSrc(csp)).toEqual(["'self'", sha256Source('shell()')]);
  });

  it('allows the authorize-post script by hash on /launch only, where form-action is left out', async () => {
    const launch = (await proxy(request('/launch'))).headers.get('content-security-policy')!;
    expect(scriptSrc(launch)).toContain(sha256Source('document.forms[0].submit()'));
    expect(launch).not.toContain('form-action');
    const home = (await proxy(request('/'))).headers.get('content-security-policy')!;
    expect(scriptSrc(home)).not.toContain(sha256Source('document.forms[0].submit()'));
    expect(home).toContain("form-action 'self'");
  });

  it('sends HSTS when HOUSECALL_URL is https, and none over http', async () => {
    vi.stubEnv('HOUSECALL_URL', 'https://housecall.example.org');
    resetServerEnvForTests();
    expect((await proxy(request('/'))).headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    vi.stubEnv('HOUSECALL_URL', 'http://localhost:3000');
    resetServerEnvForTests();
    expect((await proxy(request('/'))).headers.get('strict-transport-security')).toBeNull();
  });

  it('adds unsafe-eval only under the development opt-in', async () => {
    vi.stubEnv('HOUSECALL_ENV', 'development');
    vi.stubEnv('HOUSECALL_CSP_ALLOW_EVAL', '1');
    resetServerEnvForTests();
    expect(scriptSrc((await proxy(request('/'))).headers.get('content-security-policy'))).toContain("'unsafe-eval'");
    vi.stubEnv('HOUSECALL_ENV', 'test');
    resetServerEnvForTests();
    expect(scriptSrc((await proxy(request('/'))).headers.get('content-security-policy'))).not.toContain("'unsafe-eval'");
  });

  it('lets browsers deliver violation reports, while other cross-site writes stay refused', async () => {
    const report = await proxy(request('/api/csp-report', { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } }));
    expect(report.status).toBe(200);
    expect(report.headers.get('x-middleware-next')).toBe('1');
    const write = await proxy(request('/api/l/abcdefghijklmnop/consents', { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' } }));
    expect(write.status).toBe(403);
  });
});

describe('proxy: which paths it runs for', () => {
  // Next.js compiles the matcher as an anchored regular expression; this one is one already.
  const matches = (path: string) => config.matcher.some((m) => new RegExp(`^${m}$`).test(path));

  it('runs for every page and API route but the FHIR proxy route, which applies requestSecurity itself', () => {
    for (const path of ['/', '/l/abcdefghijklmnop/chart', '/api/l/abcdefghijklmnop/consents', '/api/l/abcdefghijklmnop/fhir', '/staff', '/.well-known/jwks.json', '/launch']) expect(matches(path), path).toBe(true);
    for (const path of ['/api/l/abcdefghijklmnop/fhir/Patient/pat-001', '/api/l/abcdefghijklmnop/fhir/metadata', '/_next/static/chunk.js']) expect(matches(path), path).toBe(false);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, sha256Source, strictTransportSecurity, type ContentPolicyInput } from './content-policy';

const PAGE: ContentPolicyInput = { frameAncestors: ["'self'", 'https://ehr.example.org'], nonce: 'bm9uY2Utbm9uY2Utbm9uY2U=', formActionSelf: true, allowEval: false };

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

describe('contentSecurityPolicy', () => {
  it('lets only this request’s nonce and what it loads run scripts, with no unsafe-inline or unsafe-eval', () => {
    const d = directives(contentSecurityPolicy(PAGE));
    expect(d.get('script-src')).toEqual(["'nonce-bm9uY2Utbm9uY2Utbm9uY2U='", "'strict-dynamic'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('base-uri')).toEqual(["'none'"]);
    expect(d.get('form-action')).toEqual(["'self'"]);
    expect(d.get('worker-src')).toEqual(["'self'"]);
    expect(d.get('frame-ancestors')).toEqual(["'self'", 'https://ehr.example.org']);
    expect(d.get('report-uri')).toEqual(['/api/csp-report']);
    // report-to would make Chromium ignore report-uri and hold reports for up to a minute.
    expect(d.has('report-to')).toBe(false);
    const csp = contentSecurityPolicy(PAGE);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('shows documents the page made itself (blob:) as images and frames only, never as plugins, scripts or fetches', () => {
    const d = directives(contentSecurityPolicy(PAGE));
    expect(d.get('img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(d.get('frame-src')).toEqual(["'self'", 'blob:']);
    expect(d.get('object-src')).toEqual(["'none'"]);
    for (const name of ['script-src', 'connect-src', 'default-src', 'worker-src', 'style-src']) expect(d.get(name), name).not.toContain('blob:');
  });

  it('applies styles from the build and from a nonce’d element, never from inline attributes', () => {
    const d = directives(contentSecurityPolicy({ ...PAGE, styleHashes: ["'sha256-abc='"] }));
    expect(d.get('style-src')).toEqual(["'self'", "'nonce-bm9uY2Utbm9uY2Utbm9uY2U='", "'sha256-abc='"]);
  });

  it('allows a static page’s inline scripts only by hash, its files from itself, and nothing else', () => {
    const d = directives(contentSecurityPolicy({ ...PAGE, nonce: undefined, scriptHashes: ["'sha256-one='", "'sha256-two='"] }));
    expect(d.get('script-src')).toEqual(["'self'", "'sha256-one='", "'sha256-two='"]);
    expect(d.get('style-src')).toEqual(["'self'"]);
  });

  it('adds unsafe-eval only when the development opt-in says so', () => {
    expect(directives(contentSecurityPolicy({ ...PAGE, allowEval: true })).get('script-src')).toContain("'unsafe-eval'");
  });

  it('leaves form-action out where the route must post to the EHR', () => {
    expect(directives(contentSecurityPolicy({ ...PAGE, formActionSelf: false })).has('form-action')).toBe(false);
  });
});

describe('strictTransportSecurity', () => {
  it('pins https deployments, subdomains included, for at least a year', () => {
    const value = strictTransportSecurity('https://housecall.example.org');
    expect(value).toBe('max-age=63072000; includeSubDomains');
    expect(Number(/max-age=(\d+)/.exec(value!)?.[1])).toBeGreaterThanOrEqual(31_536_000);
  });

  it('sends nothing over plain http', () => {
    expect(strictTransportSecurity('http://localhost:3000')).toBeUndefined();
  });
});

describe('helpers', () => {
  it('hashes text exactly as it stands between the tags', () => {
    expect(sha256Source('alert(1)')).toBe(`'sha256-${createHash('sha256').update('alert(1)').digest('base64')}'`);
  });

  it('makes a fresh 128-bit nonce each time, in the syntax Next.js reads back', () => {
    const a = newNonce();
    const b = newNonce();
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(`'nonce-${a}'`).toMatch(/^'nonce-([A-Za-z0-9+/_-]+={0,2})'$/);
  });
});

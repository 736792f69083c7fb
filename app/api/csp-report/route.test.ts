import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger, metrics } from '@/lib/telemetry';
import { POST } from './route';

const URL_ = 'http://localhost:3000/api/csp-report';

function post(body: string, type = 'application/csp-report'): Promise<Response> {
  return POST(new Request(URL_, { method: 'POST', body, headers: { 'content-type': type } }));
}

async function count(directive: string, blocked: string): Promise<number> {
  const m = await metrics.cspViolations.get();
  return m.values.find((v) => v.labels.directive === directive && v.labels.blocked === blocked)?.value ?? 0;
}

afterEach(() => vi.restoreAllMocks());

describe('POST /api/csp-report', () => {
  it('counts a report-uri violation and logs its directive and blocked origin only, never a path, query or sample', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const before = await count('script-src-elem', 'external');
    const res = await post(JSON.stringify({ 'csp-report': {
      'document-uri': 'http://localhost:3000/l/abcdefghijklmnop/chart?patient=pat-001', 'effective-directive': 'script-src-elem', 'violated-directive': 'script-src-elem',
      'blocked-uri': 'https://evil.example:8443/steal.js?patient=pat-001#Ada', 'script-sample': 'Ada Lovelace',
    } }));
    expect(res.status).toBe(204);
    expect(await count('script-src-elem', 'external')).toBe(before + 1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toEqual({ event: 'csp.violation', directive: 'script-src-elem', blocked: 'https://evil.example:8443' });
    const logged = JSON.stringify(warn.mock.calls);
    for (const secret of ['pat-001', 'steal.js', 'Ada', 'abcdefghijklmnop']) expect(logged).not.toContain(secret);
  });

  it('counts Reporting API batches (report-to), inline scripts as `inline`, and ignores other report types', async () => {
    const before = await count('script-src-elem', 'inline');
    const res = await post(JSON.stringify([
      { type: 'csp-violation', age: 1, url: 'http://localhost:3000/l/x/chart', body: { effectiveDirective: 'script-src-elem', blockedURL: 'inline', documentURL: 'http://localhost:3000/l/x/chart', sample: 'alert(1)' } },
      { type: 'deprecation', body: { id: 'x' } },
    ]), 'application/reports+json');
    expect(res.status).toBe(204);
    expect(await count('script-src-elem', 'inline')).toBe(before + 1);
  });

  it('labels unknown directives `other`, so the metric cannot grow without bound', async () => {
    const before = await count('other', 'eval');
    await post(JSON.stringify({ 'csp-report': { 'effective-directive': 'made-up-directive-123', 'blocked-uri': 'eval' } }));
    expect(await count('other', 'eval')).toBe(before + 1);
  });

  it('refuses an oversized report unread (413 body-too-large) and junk with invalid-body', async () => {
    const big = await post(JSON.stringify({ 'csp-report': { 'blocked-uri': 'x'.repeat(20_000) } }));
    expect(big.status).toBe(413);
    expect((await big.json()).issue[0].details.coding[0].code).toBe('body-too-large');
    const junk = await post('not json');
    expect(junk.status).toBe(400);
    expect((await junk.json()).issue[0].details.coding[0].code).toBe('invalid-body');
    const wrong = await post(JSON.stringify({ hello: 'world' }));
    expect((await wrong.json()).issue[0].details.coding[0].code).toBe('invalid-body');
  });
});

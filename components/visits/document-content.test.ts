import { describe, expect, it } from 'vitest';
import type { Resource } from '@medplum/fhirtypes';
import { toDocumentView } from '@/lib/fhir';
import { ctx } from '@/lib/fhir/compose/testing';
import { loadContent } from './document-content';

const doc = (attachment: Record<string, unknown>) => toDocumentView({ resourceType: 'DocumentReference', id: 'd1', status: 'current', content: [{ attachment }] } as never, 0, ctx);
const PDF = btoa('%PDF-1.4\n%%EOF\n');

function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const f = (async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json' } });
  }) as unknown as typeof fetch;
  return { f, calls };
}

describe('loadContent', () => {
  it('reads the Binary through the proxy, uncached, and shows a PDF whose bytes are a PDF', async () => {
    const { f, calls } = fakeFetch(200, { resourceType: 'Binary', contentType: 'application/pdf', data: PDF } satisfies Resource);
    const c = await loadContent('L1', doc({ url: 'Binary/b1', contentType: 'application/pdf' }), f);
    expect(c).toMatchObject({ state: 'shown', kind: 'pdf', type: 'application/pdf' });
    expect(calls[0]!.url).toBe('/api/l/L1/fhir/Binary/b1');
    expect(calls[0]!.init?.cache).toBe('no-store');
  });

  it('believes the bytes, not the label: HTML labelled as a PDF is not shown', async () => {
    const { f } = fakeFetch(200, { resourceType: 'Binary', contentType: 'application/pdf', data: btoa('<html><script>alert(1)</script>') });
    expect(await loadContent('L1', doc({ url: 'Binary/b1', contentType: 'application/pdf' }), f)).toEqual({ state: 'problem', why: 'type-mismatch' });
  });

  it('offers a type it cannot show as a download, typed so the browser will not render it', async () => {
    const { f } = fakeFetch(200, { resourceType: 'Binary', contentType: 'text/html', data: btoa('<p>hi</p>') });
    const c = await loadContent('L1', doc({ url: 'Binary/b1', contentType: 'application/pdf' }), f);
    expect(c).toMatchObject({ state: 'download', type: 'text/html', why: 'unsupported-type' });
    expect((c as { blob: Blob }).blob.type).toBe('application/octet-stream');
  });

  it('says the file is missing when the EHR answers 404, and unreadable on other failures', async () => {
    expect(await loadContent('L1', doc({ url: 'Binary/gone' }), fakeFetch(404, { resourceType: 'OperationOutcome', issue: [] }).f)).toEqual({ state: 'problem', why: 'missing' });
    expect(await loadContent('L1', doc({ url: 'Binary/b1' }), fakeFetch(502, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', details: { coding: [{ system: 'https://housecall.example/outcome', code: 'upstream-error' }] } }] }).f)).toMatchObject({ state: 'problem', why: 'unreadable' });
  });

  it('shows inline text without a request, and never fetches a URL that is not a Binary', async () => {
    const { f, calls } = fakeFetch(200, {});
    expect(await loadContent('L1', doc({ data: btoa('Seen today.'), contentType: 'text/plain; charset=utf-8' }), f)).toEqual({ state: 'shown', kind: 'text', type: 'text/plain', text: 'Seen today.' });
    expect(await loadContent('L1', doc({ url: 'https://evil.example/x.pdf', contentType: 'application/pdf' }), f)).toEqual({ state: 'problem', why: 'external-url' });
    expect(calls).toHaveLength(0);
  });

  it('refuses data that is not base64 or is empty', async () => {
    const { f } = fakeFetch(200, { resourceType: 'Binary', contentType: 'application/pdf' });
    expect(await loadContent('L1', doc({ url: 'Binary/b1' }), f)).toEqual({ state: 'problem', why: 'empty' });
    expect(await loadContent('L1', doc({ data: '%%%not base64', contentType: 'application/pdf' }), f)).toEqual({ state: 'problem', why: 'unreadable' });
  });
});

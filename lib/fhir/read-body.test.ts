import { describe, expect, it } from 'vitest';
import { ProxyError } from './outcome';
import { readBodyCapped } from './read-body';

async function codeOf(p: Promise<unknown>) {
  try {
    await p;
    return 'no error';
  } catch (e) {
    return e instanceof ProxyError ? `${e.code} ${e.status}` : `unexpected ${String(e)}`;
  }
}

/** A streamed body of `chunks` chunks of `size` bytes; counts how many were pulled. */
function streamed(chunks: number, size: number) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled === chunks) return controller.close();
      pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  });
  return { request: new Request('http://x/', { method: 'POST', body, duplex: 'half' } as RequestInit), pulled: () => pulled };
}

describe('readBodyCapped', () => {
  it('reads a body within the limit', async () => {
    expect(await readBodyCapped(new Request('http://x/', { method: 'POST', body: '{"a":1}' }), 100)).toBe('{"a":1}');
  });

  it('answers 413 body-too-large on a declared Content-Length over the limit without reading the body', async () => {
    const s = streamed(100, 1024);
    const request = new Request('http://x/', { method: 'POST', body: s.request.body, duplex: 'half', headers: { 'content-length': String(100 * 1024) } } as RequestInit);
    expect(await codeOf(readBodyCapped(request, 1024))).toBe('body-too-large 413');
    expect(s.pulled()).toBeLessThanOrEqual(1);
  });

  it('stops reading a chunked body at the limit', async () => {
    const s = streamed(1000, 1024);
    expect(await codeOf(readBodyCapped(s.request, 4 * 1024))).toBe('body-too-large 413');
    expect(s.pulled()).toBeLessThan(10);
  });

  it('counts bytes, not characters', async () => {
    expect(await codeOf(readBodyCapped(new Request('http://x/', { method: 'POST', body: 'é'.repeat(60) }), 100))).toBe('body-too-large 413');
  });
});

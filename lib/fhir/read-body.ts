import 'server-only';
import { ProxyError } from './outcome';

/**
 * Reads a request body as text, refusing it with `body-too-large` (413) past `maxBytes`
 * without reading it all: a declared Content-Length over the cap is refused before the first
 * byte, and a body without one (chunked) is counted as it streams and cancelled at the cap.
 */
export async function readBodyCapped(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw new ProxyError('body-too-large');
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ProxyError('body-too-large');
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

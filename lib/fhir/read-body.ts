import 'server-only';
import { ProxyError, type OutcomeCode } from './outcome';

/**
 * Reads a request's or response's body as text, refusing it with `code` past `maxBytes` without
 * reading it all: a declared Content-Length over the cap is refused before the first byte, and a
 * body without one (chunked) is counted as it streams and cancelled at the cap.
 */
export async function readTextCapped(message: Pick<Request, 'headers' | 'body'>, maxBytes: number, code: OutcomeCode): Promise<string> {
  const declared = message.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) {
    await message.body?.cancel().catch(() => undefined);
    throw new ProxyError(code);
  }
  if (!message.body) return '';
  const reader = message.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ProxyError(code);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** A request body as text, or `body-too-large` (413) past `maxBytes` (see readTextCapped). */
export function readBodyCapped(request: Request, maxBytes: number): Promise<string> {
  return readTextCapped(request, maxBytes, 'body-too-large');
}

/**
 * Where a visit's time goes, from the documents Chromium loaded (bench/phone.ts): which part of
 * the wait a person has from an action at the EHR to the first entry on screen is Housecall's.
 */

/** One document (a page, a frame or a redirect) a visit loaded, as Chromium timed it. */
export interface DocumentLoad {
  path: string;
  status: number;
  /** Wall-clock ms since the epoch the request started. */
  start: number;
  /** ms from its start to the first byte of the answer and to the last. */
  firstByte: number;
  lastByte: number;
  /** Bytes on the wire: headers and the (compressed) body. */
  bytes: number;
}

/**
 * How much of a visit was Housecall's to spend: its own documents after the action (`/launch`,
 * `/redirect`, the page: each from request start to last byte) and everything from the page's last
 * byte to the paint. The rest is the EHR's pages and redirects, and the browser between documents,
 * which no change to Housecall shortens. `t0Epoch`: the action, ms since the epoch; `painted`: ms
 * after it.
 */
export function housecallShare(documents: readonly DocumentLoad[], housecallHost: string, t: { t0Epoch: number; painted: number }): number {
  const own = documents.filter((d) => d.start >= t.t0Epoch && d.path.startsWith(`${housecallHost}/`)).sort((a, b) => a.start - b.start);
  const last = own.at(-1);
  if (!last) throw new Error(`no document from ${housecallHost} after the action`);
  const inDocuments = own.reduce((n, d) => n + d.lastByte, 0);
  return inDocuments + (t.t0Epoch + t.painted - (last.start + last.lastByte));
}

'use client';
import { checkContent, mediaType, type DocumentView } from '@/lib/fhir/compose/documents';
import { outcomeCode } from '@/lib/fhir/outcome-code';
import { proxyBase } from '@/components/fhir/use-fhir';

/**
 * A document's content, fetched for one view and kept in memory only: read through the proxy
 * (scopes, consent and audit apply), never through the read-through cache, so it is not written
 * to the device's store, and sent `no-store` so neither the HTTP cache nor the service worker
 * keeps it. Its type is checked against its bytes before the page shows it.
 */
export type LoadedContent =
  | { state: 'shown'; kind: 'pdf' | 'image'; type: string; blob: Blob }
  | { state: 'shown'; kind: 'text'; type: string; text: string }
  | { state: 'download'; type: string | undefined; blob: Blob; why: 'unsupported-type' }
  | { state: 'problem'; why: 'missing' | 'no-content' | 'external-url' | 'type-mismatch' | 'empty' | 'unreadable'; outcome?: string };

function base64Bytes(data: string): Uint8Array | undefined {
  try {
    const binary = atob(data.replace(/\s+/g, ''));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/** Reads a Binary through the proxy: its content type and base64 data, or why not. */
async function readBinary(launchId: string, binaryId: string, fetchImpl: typeof fetch): Promise<{ contentType?: string; data?: string } | { failed: string; status: number }> {
  let res: Response;
  try {
    res = await fetchImpl(`${proxyBase(launchId)}Binary/${encodeURIComponent(binaryId)}`, { headers: { accept: 'application/fhir+json' }, credentials: 'same-origin', cache: 'no-store', signal: AbortSignal.timeout(30_000) });
  } catch {
    return { failed: 'network', status: 0 };
  }
  const body = (await res.json().catch(() => null)) as { resourceType?: string; contentType?: string; data?: string } | null;
  if (!res.ok) return { failed: outcomeCode(body) ?? 'upstream-error', status: res.status };
  if (body?.resourceType !== 'Binary') return { failed: 'upstream-error', status: res.status };
  return { ...(body.contentType ? { contentType: body.contentType } : {}), ...(body.data ? { data: body.data } : {}) };
}

/** Loads and checks a document's content. The Binary's own content type wins over the DocumentReference's label. */
export async function loadContent(launchId: string, doc: DocumentView, fetchImpl: typeof fetch = fetch): Promise<LoadedContent> {
  let contentType = doc.contentType;
  let data: string | undefined;
  if ('none' in doc.source) return { state: 'problem', why: doc.source.none };
  if ('data' in doc.source) data = doc.source.data;
  else {
    const binary = await readBinary(launchId, doc.source.binaryId, fetchImpl);
    if ('failed' in binary) return binary.status === 404 || binary.status === 410 ? { state: 'problem', why: 'missing' } : { state: 'problem', why: 'unreadable', outcome: binary.failed };
    contentType = mediaType(binary.contentType) ?? contentType;
    data = binary.data;
  }
  if (!data) return { state: 'problem', why: 'empty' };
  const bytes = base64Bytes(data);
  if (!bytes) return { state: 'problem', why: 'unreadable' };
  const checked = checkContent(contentType, bytes);
  if (!checked.ok) {
    if (checked.problem === 'unsupported-type') return { state: 'download', type: contentType, blob: new Blob([bytes as BlobPart], { type: 'application/octet-stream' }), why: 'unsupported-type' };
    return { state: 'problem', why: checked.problem };
  }
  if (checked.kind === 'text') return { state: 'shown', kind: 'text', type: checked.type, text: new TextDecoder().decode(bytes) };
  return { state: 'shown', kind: checked.kind, type: checked.type, blob: new Blob([bytes as BlobPart], { type: checked.type }) };
}

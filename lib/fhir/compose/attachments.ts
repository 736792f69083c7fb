/**
 * What a message may carry: images (PNG, JPEG, GIF, WebP) and PDFs, at most 5 MB in all per
 * message. Judged by the declared type, by the first bytes of the content (a file renamed to
 * `.png` is still refused) and by size. Pure, so the compose form and the proxy apply the same
 * rules: the form refuses before anything is queued, the proxy again before anything reaches the
 * EHR (a client is never trusted to have checked).
 */
import type { Attachment } from '@medplum/fhirtypes';

/** The most a message's attachments may weigh together, in bytes. */
export const MESSAGE_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
/** The most files one message may carry. */
export const MESSAGE_ATTACHMENT_MAX_FILES = 3;

/** Why an attachment was refused, as a stable code (the proxy answers it as an OperationOutcome code). */
export type AttachmentRefusal = 'attachment-too-large' | 'attachment-type-not-allowed';

/** The types a message may carry, each with the bytes its content must start with. */
const SIGNATURES: Readonly<Record<string, (b: Uint8Array) => boolean>> = {
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a')),
  'image/webp': (b) => startsWith(b, ascii('RIFF')) && startsWith(b.subarray(8), ascii('WEBP')),
  'application/pdf': (b) => startsWith(b, ascii('%PDF-')),
};

/** The MIME types accepted, for a file input's `accept`. */
export const MESSAGE_ATTACHMENT_TYPES: readonly string[] = Object.keys(SIGNATURES);

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** The bare MIME type, lower-cased, without parameters (`image/PNG; x=y` → `image/png`). */
function mimeOf(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Judges one file by its declared type and its content. `bytes` need only hold the first few
 * dozen bytes; `size` is the whole file's. Undefined when it may be sent.
 */
export function checkAttachmentFile(file: { contentType: string | undefined; bytes: Uint8Array; size: number }): AttachmentRefusal | undefined {
  if (file.size > MESSAGE_ATTACHMENT_MAX_BYTES) return 'attachment-too-large';
  const signature = SIGNATURES[mimeOf(file.contentType)];
  if (!signature || !signature(file.bytes)) return 'attachment-type-not-allowed';
  return undefined;
}

/** Base64 to bytes, or undefined when it is not base64 (both sides: no Buffer in the browser). */
export function base64Bytes(data: string): Uint8Array | undefined {
  const clean = data.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) return undefined;
  // Node (the proxy) decodes natively; the browser has atob.
  const NodeBuffer = (globalThis as { Buffer?: { from(s: string, e: string): Uint8Array } }).Buffer;
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(clean, 'base64'));
  const binary = atob(clean);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Judges every attachment a message carries (`Communication.payload.contentAttachment`), as the
 * proxy does before sending it on: each must be inline data (a `url` would point the EHR at
 * content nobody checked), of an allowed type whose content matches it, and together at most
 * MESSAGE_ATTACHMENT_MAX_BYTES; `size`, where stated, must be the real size.
 */
export function checkMessageAttachments(attachments: readonly Attachment[]): AttachmentRefusal | undefined {
  if (attachments.length > MESSAGE_ATTACHMENT_MAX_FILES) return 'attachment-too-large';
  let total = 0;
  for (const a of attachments) {
    if (a.url !== undefined || typeof a.data !== 'string') return 'attachment-type-not-allowed';
    // Cheap first: the encoded length bounds the decoded size.
    if (Math.floor((a.data.length * 3) / 4) - 2 > MESSAGE_ATTACHMENT_MAX_BYTES) return 'attachment-too-large';
    const bytes = base64Bytes(a.data);
    if (!bytes) return 'attachment-type-not-allowed';
    if (a.size !== undefined && a.size !== bytes.length) return 'attachment-type-not-allowed';
    total += bytes.length;
    if (total > MESSAGE_ATTACHMENT_MAX_BYTES) return 'attachment-too-large';
    const refused = checkAttachmentFile({ contentType: a.contentType, bytes, size: bytes.length });
    if (refused) return refused;
  }
  return undefined;
}

/** What a person reads when a file is refused: what is allowed, and what to do. */
export function attachmentRefusalText(refusal: AttachmentRefusal): string {
  return refusal === 'attachment-too-large'
    ? 'That is too big to send. Attachments may be up to 5 MB in all, at most 3 files. Send a smaller photo or PDF.'
    : 'Only photos (PNG, JPEG, GIF or WebP) and PDF documents can be sent, and this file is not one of them.';
}

import type { Attachment, Bundle, DocumentReference } from '@medplum/fhirtypes';
import { arr, conceptText, dateMs, firstDate, obj, str } from './datatypes';
import { resourcesOf } from './entries';
import type { ComposeContext } from './items';
import { referenceName } from './people';
import { provenanceOf, type Provenance } from './provenance';
import { entryState } from './status';

/**
 * The patient's documents: what each is, when, by whom, and how its content can be shown. The
 * content is the first attachment: inline `data`, or a `url` naming a Binary on the EHR (read
 * through the proxy, never from the URL itself). Only types a browser shows safely in the page
 * are shown there (PDF, PNG, JPEG, GIF, WebP, plain text); anything else is offered as a
 * download with a message that says why.
 */

export type DocumentKind = 'pdf' | 'image' | 'text' | 'unsupported';

export const SHOWN_TYPES: Readonly<Record<string, Exclude<DocumentKind, 'unsupported'>>> = {
  'application/pdf': 'pdf',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'text/plain': 'text',
};

/** The media type without parameters, lower case (`Text/Plain; charset=utf-8` → `text/plain`). */
export function mediaType(contentType: unknown): string | undefined {
  const t = str(contentType)?.split(';')[0]?.trim().toLowerCase();
  return t || undefined;
}

export function documentKind(contentType: unknown): DocumentKind {
  return SHOWN_TYPES[mediaType(contentType) ?? ''] ?? 'unsupported';
}

/** Where the content is: a Binary to read through the proxy, inline base64, or nowhere usable. */
export type DocumentSource = { binaryId: string } | { data: string } | { none: 'no-content' | 'external-url' };

const BINARY = /^(?:[a-z][a-z0-9+.-]*:\/\/[^?#]*\/)?Binary\/([A-Za-z0-9\-.]{1,64})$/i;

/** Where an attachment's content is. A URL that is not a Binary (another server, a web page) is never fetched. */
export function attachmentSource(attachment: Attachment | undefined): DocumentSource {
  const data = str(attachment?.data);
  if (data) return { data };
  const url = str(attachment?.url);
  if (!url) return { none: 'no-content' };
  const m = BINARY.exec(url);
  return m ? { binaryId: m[1]! } : { none: 'external-url' };
}

export interface DocumentView {
  key: string;
  id: string;
  title: string;
  type?: string;
  date?: string;
  author?: string;
  statusWords?: string;
  contentType?: string;
  kind: DocumentKind;
  source: DocumentSource;
  /** A file name for a download: the attachment's title, else the document's. */
  fileName: string;
  provenance: Provenance;
}

const DOC_STATUS_WORDS: Record<string, string> = { preliminary: 'Draft', amended: 'Amended', final: 'Final' };

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp', 'text/plain': 'txt',
  'application/msword': 'doc', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx', 'application/rtf': 'rtf', 'text/html': 'html', 'application/xml': 'xml', 'text/xml': 'xml',
};

function fileNameOf(title: string, contentType: string | undefined): string {
  const base = title.replace(/[\\/:*?"<>|\r\n]+/g, ' ').trim().slice(0, 80) || 'document';
  const ext = contentType ? EXTENSIONS[contentType] : undefined;
  return ext && !base.toLowerCase().endsWith(`.${ext}`) ? `${base}.${ext}` : base;
}

export function toDocumentView(d: DocumentReference, index: number, ctx: ComposeContext): DocumentView {
  const attachment = obj(obj(arr<unknown>(d.content)[0])?.attachment) as Attachment | undefined;
  const type = conceptText(d.type, '') || undefined;
  const title = str(d.description)?.trim() || str(attachment?.title)?.trim() || type || 'Untitled document';
  const contentType = mediaType(attachment?.contentType);
  const date = firstDate(d, ['date']) ?? firstDate(obj(d.context), ['period']) ?? firstDate(attachment, ['creation']);
  const author = arr<unknown>(d.author).map((a) => referenceName(a, ctx.names)).find(Boolean);
  const words = DOC_STATUS_WORDS[str(d.docStatus) ?? ''];
  return {
    key: `DocumentReference/${d.id ?? index}#${index}`,
    id: str(d.id) ?? '',
    title,
    ...(type && type !== title ? { type } : {}),
    ...(date ? { date } : {}),
    ...(author ? { author } : {}),
    ...(words && words !== 'Final' ? { statusWords: words } : {}),
    ...(contentType ? { contentType } : {}),
    kind: documentKind(contentType),
    source: attachmentSource(attachment),
    fileName: fileNameOf(str(attachment?.title)?.trim() || title, contentType),
    provenance: provenanceOf(d, ctx.source, ctx.fetchedAt),
  };
}

/** Current documents, newest first (superseded and entered-in-error ones are not listed). */
export function toDocumentViews(bundle: Bundle | undefined, ctx: ComposeContext): DocumentView[] {
  return resourcesOf<DocumentReference>(bundle, 'DocumentReference')
    .filter((d) => d.status === 'current' && entryState(d) === 'active')
    .map((d, i) => toDocumentView(d, i, ctx))
    .sort((a, b) => dateMs(b.date) - dateMs(a.date));
}

/** Why content cannot be shown: checked against the bytes, not just the label. */
export type ContentProblem = 'unsupported-type' | 'type-mismatch' | 'empty';

const MAGIC: Record<string, (b: Uint8Array) => boolean> = {
  'application/pdf': (b) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46, // %PDF
  'image/png': (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47,
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46,
  'image/webp': (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45,
  'text/plain': (b) => !b.subarray(0, 512).includes(0),
};

/**
 * Checks content before it is shown in the page: its type must be one the page shows, and its
 * first bytes must be what that type says (a "PDF" that is HTML is never handed to the browser
 * as a PDF). Returns the media type to show it as, or the problem.
 */
export function checkContent(contentType: unknown, bytes: Uint8Array): { ok: true; type: string; kind: Exclude<DocumentKind, 'unsupported'> } | { ok: false; problem: ContentProblem } {
  const type = mediaType(contentType);
  if (bytes.length === 0) return { ok: false, problem: 'empty' };
  const kind = type ? SHOWN_TYPES[type] : undefined;
  if (!type || !kind) return { ok: false, problem: 'unsupported-type' };
  return MAGIC[type]!(bytes) ? { ok: true, type, kind } : { ok: false, problem: 'type-mismatch' };
}

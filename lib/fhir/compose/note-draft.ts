import type { DocumentReference } from '@medplum/fhirtypes';
import { arr, obj, str } from './guards';

/**
 * A clinician's note as a FHIR DocumentReference draft (docStatus `preliminary`), plain text
 * in a base64 attachment. Pure and browser-safe: the same shape the sync engine will send.
 */

export interface NoteDraftContext {
  patientId: string;
  encounterId?: string | null;
  /** `Practitioner/…` from the launch, when the EHR named the user. */
  author?: string | null;
}

const MAX_DECODED = 200_000;

export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Decodes base64 UTF-8 text; undefined when it is not valid base64 or not valid UTF-8. */
export function base64ToUtf8(data: string): string | undefined {
  try {
    const binary = atob(data.replace(/\s+/g, ''));
    if (binary.length > MAX_DECODED) return undefined;
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

export function createNoteDraft(text: string, ctx: NoteDraftContext, now: Date): DocumentReference {
  const at = now.toISOString();
  return {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'preliminary',
    type: { coding: [{ system: 'http://loinc.org', code: '11506-3', display: 'Progress note' }], text: 'Progress note' },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note', display: 'Clinical Note' }] }],
    subject: { reference: `Patient/${ctx.patientId}` },
    date: at,
    ...(ctx.author ? { author: [{ reference: ctx.author }] } : {}),
    content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: utf8ToBase64(text), title: 'Progress note (draft)', creation: at } }],
    ...(ctx.encounterId ? { context: { encounter: [{ reference: `Encounter/${ctx.encounterId}` }] } } : {}),
  };
}

/** The plain text of a document's first text attachment, if it has one inline. */
export function documentText(doc: unknown): string | undefined {
  for (const content of arr<unknown>(obj(doc)?.content)) {
    const attachment = obj(obj(content)?.attachment);
    const type = str(attachment?.contentType) ?? '';
    const data = typeof attachment?.data === 'string' ? attachment.data : undefined;
    if (data !== undefined && (type === '' || type.startsWith('text/plain'))) {
      const text = base64ToUtf8(data);
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

/** A stored draft, checked: the DocumentReference and when it was last changed, or undefined. */
export function readNoteDraft(stored: unknown): { text: string; updatedAt: string } | undefined {
  const doc = obj(stored);
  if (!doc || doc.resourceType !== 'DocumentReference' || doc.docStatus !== 'preliminary') return undefined;
  const text = documentText(doc);
  const updatedAt = str(doc.date);
  return text !== undefined && updatedAt ? { text, updatedAt } : undefined;
}

import type { DocumentReference } from '@medplum/fhirtypes';
import type { OutboxEntry } from '@/lib/sync';

/** The note the clinician saved from this editor: enough to find its outbox entries and its server copy. */
export interface SavedNote {
  /** Local id of the create, until the EHR assigns one. */
  localId: string;
  /** Idempotency key of the create: the server copy carries it as an identifier. */
  createKey: string;
  savedAt: string;
}

/** Where a saved note is, in the words the editor shows. */
export type NoteStage =
  | { kind: 'waiting'; what: 'save' | 'sign' }
  | { kind: 'saved'; note: DocumentReference }
  | { kind: 'signed'; note: DocumentReference }
  | { kind: 'needs-review' }
  | { kind: 'failed'; code: string }
  | { kind: 'unknown' };

/**
 * Pure: the stage of a saved note from the outbox and the device's copy of the EHR's note (found
 * by the idempotency identifier once the create reached it). An open entry decides first (review,
 * failure, waiting), then the server copy's docStatus.
 */
export function noteStage(saved: SavedNote, outbox: readonly OutboxEntry[], server: DocumentReference | undefined): NoteStage {
  const ids = new Set([saved.localId, ...(server?.id ? [server.id] : [])]);
  const open = outbox.filter((e) => e.state !== 'synced' && e.resourceType === 'DocumentReference' && (e.idempotencyKey === saved.createKey || ids.has(e.resourceId)));
  if (open.some((e) => e.state === 'needs-review')) return { kind: 'needs-review' };
  const failed = open.find((e) => e.state === 'failed');
  if (failed) return { kind: 'failed', code: failed.lastError?.code ?? 'unknown' };
  if (open.length) return { kind: 'waiting', what: open.some((e) => e.mutation === 'signNote') ? 'sign' : 'save' };
  if (!server) return { kind: 'unknown' };
  return server.docStatus === 'final' ? { kind: 'signed', note: server } : { kind: 'saved', note: server };
}

import type { OutboxEntry } from '@/lib/sync';
import { failureWords } from '@/components/sync/failure-words';

/** Where one of my messages is, from its outbox entry (or none: it came from the EHR). */
export type MessageStage = 'waiting' | 'sending' | 'failed' | 'needs-review' | 'sent' | 'read';

/** The stage of a message: its outbox entry's state while it has one, else sent (or read, once the recipient marked it received). */
export function messageStage(entry: Pick<OutboxEntry, 'state'> | undefined, received: boolean): MessageStage {
  switch (entry?.state) {
    case 'pending': return 'waiting';
    case 'in-flight': return 'sending';
    case 'failed': return 'failed';
    case 'needs-review': return 'needs-review';
    default: return received ? 'read' : 'sent';
  }
}

/** Why a message was refused, in words, for the refusals only a message meets; else the outbox's words. */
function refusalWords(entry?: Pick<OutboxEntry, 'lastError'>): string {
  switch (entry?.lastError?.code) {
    case 'recipient-not-allowed': return 'your sharing choices do not allow messages to this person.';
    case 'attachment-too-large': return 'the attachments are too big (up to 5 MB in all, at most 3 files).';
    case 'attachment-type-not-allowed': return 'only photos (PNG, JPEG, GIF, WebP) and PDF documents can be attached.';
    default: return failureWords(entry?.lastError);
  }
}

/** The sentence under a message of mine. */
export function stageWords(stage: MessageStage, entry?: Pick<OutboxEntry, 'lastError'>): string {
  switch (stage) {
    case 'waiting': return 'Waiting to send. It is kept on this device and sent once as soon as there is a connection.';
    case 'sending': return 'Sending…';
    case 'failed': return `Not sent: ${refusalWords(entry)} Your message is kept here: try again or discard it.`;
    case 'needs-review': return 'Held: your sharing choices or your clinic’s record changed since you wrote it. Review it before it is sent.';
    case 'sent': return 'Sent.';
    case 'read': return 'Read by your care team.';
  }
}

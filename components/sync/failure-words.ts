import type { OutboxError } from '@/lib/sync';

/** Why a change could not be sent, in plain words (from the stable error code, never server text). */
export function failureWords(error: OutboxError | undefined): string {
  const code = error?.code ?? '';
  if (code === 'scope-not-granted') return 'Housecall was not given permission to change this when it was opened.';
  if (code === 'consent-denied' || code === 'held') return 'Your sharing choices no longer allow this change.';
  if (code === 'outside-compartment') return 'This change is for a record this session cannot reach.';
  if (code === 'not-found' || code === 'http-404' || code === 'http-410') return 'Your clinic no longer has this record.';
  if (code === 'invalid-body' || code === 'http-400' || code === 'http-422') return 'Your clinic’s system did not accept this change as it is. Check it, then try again or discard it.';
  // A 409 on an update or delete is a version conflict and goes to review (lib/sync upload.ts);
  // one that ends here refused a new record the clinic's system says clashes with one it holds.
  if (code === 'http-409' || error?.status === 409) return 'Your clinic’s system already holds a record that clashes with this one. Check it, then try again or discard it.';
  const status = error?.status ?? (/^http-(\d{3})$/.exec(code)?.[1] ? Number(code.slice(5)) : undefined);
  return status ? `Your clinic’s system refused this change (error ${status}).` : 'Your clinic’s system refused this change.';
}

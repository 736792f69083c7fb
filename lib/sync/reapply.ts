/**
 * Re-applying a person's named change on the server's newer copy, for the review screen's
 * third choice (issue #5: keep theirs, keep mine, or edit). "Keep mine" sends my whole copy
 * on top of the server's version and so undoes whatever the other side changed; for clinical
 * resources the safer offer is to make the same change again on their copy, which the person
 * sees and chooses. Only changes whose meaning is unambiguous are re-applied: appending
 * comments to an allergy, signing a note, marking a message read. Anything else returns undefined (no such offer).
 */
import type { AllergyIntolerance, Communication, DocumentReference, Resource } from '@medplum/fhirtypes';
import { canonicalJson } from './content-hash';
import type { OutboxEntry } from './outbox';

/** The entry's change made again on `theirs`, or undefined when it cannot be said safely. */
export function reapplyOnTheirs(entry: Pick<OutboxEntry, 'mutation' | 'baseCopy' | 'payload'>, theirs: Resource | null): Resource | undefined {
  if (!theirs || !entry.payload) return undefined;
  if (entry.mutation === 'commentOnAllergy' && theirs.resourceType === 'AllergyIntolerance') {
    // A comment their copy already holds (our send applied, its answer lost, then edited there) is not added twice.
    const present = new Set([...((entry.baseCopy as AllergyIntolerance | undefined)?.note ?? []), ...((theirs as AllergyIntolerance).note ?? [])].map((n) => canonicalJson(n)));
    const added = ((entry.payload as AllergyIntolerance).note ?? []).filter((n) => !present.has(canonicalJson(n)));
    if (!added.length) return undefined;
    return { ...theirs, note: [...(theirs.note ?? []), ...added] } satisfies AllergyIntolerance;
  }
  if (entry.mutation === 'signNote' && theirs.resourceType === 'DocumentReference') {
    const mine = entry.payload as DocumentReference;
    return { ...theirs, docStatus: 'final', ...(mine.authenticator ? { authenticator: mine.authenticator } : {}), ...(mine.date ? { date: mine.date } : {}) } satisfies DocumentReference;
  }
  if (entry.mutation === 'markMessageRead' && theirs.resourceType === 'Communication') {
    const received = (entry.payload as Communication).received;
    return (theirs as Communication).received || !received ? undefined : ({ ...theirs, received } satisfies Communication);
  }
  return undefined;
}

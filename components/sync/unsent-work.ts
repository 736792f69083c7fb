import type { OutboxSummary } from '@/lib/sync';

/*
 * What a sign-out would erase, in words. A module of its own (re-exported by change-words.ts)
 * because the sign-out button is on every page and needs nothing else of change-words.
 */

function changes(n: number): string {
  return n === 1 ? '1 change' : `${n} changes`;
}

/** How much a sign-out would erase: null when nothing is unsent, else a count and the reasons. */
export function unsentWork(summary: OutboxSummary): { total: number; headline: string; details: string[] } | null {
  const total = summary.waiting + summary.failed + summary.needsReview;
  if (total === 0) return null;
  const details = [
    ...(summary.waiting ? [`${changes(summary.waiting)} waiting to be sent`] : []),
    ...(summary.failed ? [`${changes(summary.failed)} your clinic did not accept`] : []),
    ...(summary.needsReview ? [`${changes(summary.needsReview)} waiting for your review`] : []),
  ];
  return { total, headline: `${changes(total)} ${total === 1 ? 'has' : 'have'} not reached your clinic`, details };
}

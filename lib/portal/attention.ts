/**
 * "What do I need to do or know now": the items at the top of the patient's portal home.
 *
 * Each part of the portal contributes items through a source (a hook in
 * components/portal/attention-sources.ts); this module holds the shape every source returns
 * and the pure builders for the items this part knows: new results, changes not yet sent, and
 * shares about to end. Items are plain data: what to say, where it leads, whether it is urgent.
 */
import type { ExplainedResult } from '../fhir';
import type { OutboxSummary } from '../sync';
import { portalResultPath } from './paths';

export interface AttentionItem {
  /** What the item is about (`new-result`, `unsent-changes`, `share-expiring`, `unread-messages`, `next-appointment`…), for tests and sorting. */
  kind: string;
  title: string;
  detail?: string;
  /** Where the person acts on it: a path inside the launch. */
  href: string;
  /** Needs the person soon (an out-of-range result, a change the EHR refused). */
  urgent?: boolean;
}

/**
 * What a source could not find out (its answer failed, or the EHR did not share what it reads),
 * in the sentence the home shows: an empty list there would tell the person nothing needs them
 * when nobody could look.
 */
export interface AttentionGap {
  gap: string;
}

/** What one source returns: its items, a gap, or undefined while it is still finding out. */
export type AttentionFound = AttentionItem[] | AttentionGap | undefined;

/** The sentences the home shows for the answers a source could not get. */
export const ATTENTION_GAPS = {
  resultsFailed: 'Housecall could not check for new test results just now.',
  resultsNotShared: 'Your test results are not shared with Housecall, so new ones cannot be shown here.',
  resultsWithheld: 'The EHR left some of your test results out, so new ones may be missing here.',
  messagesFailed: 'Housecall could not check for new messages just now.',
  messagesNotShared: 'Your messages are not shared with Housecall, so new ones cannot be shown here.',
} as const;

/** Every source's findings together: their items (urgent first) with the server's, the gaps, and whether any is still finding out. */
export function gatherAttention(found: readonly AttentionFound[], serverItems: readonly AttentionItem[]): { items: AttentionItem[]; gaps: string[]; loading: boolean } {
  return {
    items: sortAttention([...found.flatMap((f) => (Array.isArray(f) ? f : [])), ...serverItems]),
    gaps: found.flatMap((f) => (f && !Array.isArray(f) ? [f.gap] : [])),
    loading: found.some((f) => f === undefined),
  };
}

/** Urgent first, then in the order the sources gave them (each source orders its own). */
export function sortAttention(items: readonly AttentionItem[]): AttentionItem[] {
  return items.map((item, i) => ({ item, i })).sort((a, b) => Number(!!b.item.urgent) - Number(!!a.item.urgent) || a.i - b.i).map((x) => x.item);
}

/** How many out-of-range new results get an item each; the rest are counted in one line. */
const RESULT_ITEMS = 3;

export { portalResultPath };

/**
 * New results: each out-of-range one by name with its value and the flag in words (urgent), up
 * to three; the rest, and the ones within range, in one item that opens the results list.
 */
export function newResultItems(launchId: string, fresh: readonly ExplainedResult[]): AttentionItem[] {
  const flagged = fresh.filter((r) => r.point.flag);
  const shown = flagged.slice(0, RESULT_ITEMS);
  const items: AttentionItem[] = shown.map((r) => ({
    kind: 'new-result',
    title: `New result: ${r.series.label}`,
    detail: `${r.point.text}, ${r.flagWords.charAt(0).toLowerCase()}${r.flagWords.slice(1)}${r.statusWords ? ` (${r.statusWords.split(':')[0]!.toLowerCase()})` : ''}`,
    href: portalResultPath(launchId, r.series.key),
    urgent: true,
  }));
  const rest = fresh.length - shown.length;
  if (rest > 0) {
    const within = fresh.filter((r) => !r.point.flag).length;
    items.push({
      kind: 'new-results',
      title: shown.length ? `${rest} more new ${rest === 1 ? 'result' : 'results'}` : `${rest} new ${rest === 1 ? 'result' : 'results'}`,
      ...(within === rest ? { detail: within === 1 ? 'Within the usual range' : 'All within their usual range' } : {}),
      href: `/l/${launchId}/portal/results`,
    });
  }
  return items;
}

/** Changes on this device the EHR has not taken: refused ones and conflicts first (urgent), then those waiting to send. */
export function outboxItems(launchId: string, summary: OutboxSummary): AttentionItem[] {
  const items: AttentionItem[] = [];
  const review = summary.needsReview + summary.failed + (summary.damaged ?? 0);
  if (review > 0) {
    items.push({ kind: 'changes-need-you', title: `${review} ${review === 1 ? 'change needs' : 'changes need'} your decision`, detail: 'Your clinic could not take them as they are. Nothing is lost.', href: `/l/${launchId}/portal/review`, urgent: true });
  }
  if (summary.waiting > 0) {
    items.push({ kind: 'unsent-changes', title: `${summary.waiting} ${summary.waiting === 1 ? 'change' : 'changes'} not sent yet`, detail: 'They are saved on this device and will be sent when your clinic can be reached.', href: `/l/${launchId}/portal/contact` });
  }
  if (summary.unreadable) items.push({ kind: 'changes-unknown', title: 'Your unsent changes could not be checked', detail: 'Keep this page open; we will try again.', href: `/l/${launchId}/portal/review` });
  return items;
}

/** A share (a link, or a choice to share with someone) and when it ends. */
export interface ExpiringShare {
  kind: 'link' | 'consent';
  /** What is shared and with whom, in words ("your allergies, with Dr …"). */
  what: string;
  endsAt: number;
}

/** How soon an end counts as "about to". */
export const SHARE_SOON_MS = 48 * 3_600_000;

/** Shares ending within 48 hours, soonest first: the patient may want to renew or let them go. */
export function expiringShareItems(launchId: string, shares: readonly ExpiringShare[], now: number): AttentionItem[] {
  return shares
    .filter((s) => s.endsAt > now && s.endsAt - now <= SHARE_SOON_MS)
    .sort((a, b) => a.endsAt - b.endsAt)
    .map((s) => {
      const hours = Math.max(1, Math.round((s.endsAt - now) / 3_600_000));
      return {
        kind: 'share-expiring',
        title: `${s.kind === 'link' ? 'A share link' : 'A share'} ends in ${hours} ${hours === 1 ? 'hour' : 'hours'}`,
        detail: s.what,
        href: `/l/${launchId}/portal/sharing`,
      };
    });
}

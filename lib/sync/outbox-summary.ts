import type { OutboxEntry } from './outbox';
import type { OutboxSummary } from './sync-state';

/** Counts for the indicator (sync-state.ts `describe`). */
export function summarize(entries: readonly OutboxEntry[]): OutboxSummary {
  let waiting = 0;
  let needsReview = 0;
  let failed = 0;
  for (const e of entries) {
    if (e.state === 'pending' || e.state === 'in-flight') waiting += 1;
    else if (e.state === 'needs-review') needsReview += 1;
    else if (e.state === 'failed') failed += 1;
  }
  return { waiting, needsReview, failed };
}

'use client';

import { AppLink } from '@/components/ui/app-link';
import { useSync } from './sync-provider';

/**
 * One sentence, always visible, saying where the person's work is; links to the review when something needs them.
 * `data-synced` marks that a round has finished well since the launch (the state before the first round says "All changes saved" too).
 */
export function SyncIndicator({ launchId, reviewHref = `/l/${launchId}/portal/review` }: { launchId: string; reviewHref?: string }) {
  const { sentence, summary, state, memoryOnly, lostEarlier, acknowledgeLost } = useSync();
  const needsPerson = summary.needsReview > 0 || summary.failed > 0 || (summary.damaged ?? 0) > 0;
  const attention = needsPerson || summary.unreadable === true || state.kind === 'stopped';
  return (
    <div className="border-b border-gray-200 bg-white" data-sync-state={state.kind} data-synced={state.lastSyncedAt !== undefined ? 'true' : undefined} data-memory-only={memoryOnly ? 'true' : undefined} data-wiped={state.kind === 'stopped' && state.wipe ? state.wipe.reason : undefined}>
      <p className="mx-auto flex min-h-11 max-w-3xl items-center gap-3 px-3 text-sm" role="status" aria-live="polite">
        <span data-testid="sync-indicator" className={attention ? 'font-semibold text-amber-900' : 'text-gray-800'}>{sentence}</span>
        {needsPerson ? (
          <AppLink className="inline-flex min-h-11 min-w-11 items-center text-[var(--hc-accent)] underline" href={reviewHref} data-testid="sync-review-link">
            Review
          </AppLink>
        ) : null}
      </p>
      {lostEarlier ? (
        <div role="alert" className="mx-auto flex max-w-3xl flex-wrap items-center gap-x-3 px-3 pb-2 text-sm font-semibold text-amber-900">
          <p data-testid="sync-lost-earlier">{lostEarlier}</p>
          <button type="button" className="min-h-11 underline" onClick={acknowledgeLost} data-testid="sync-lost-earlier-ok">I understand</button>
        </div>
      ) : null}
      {memoryOnly ? (
        <p className="mx-auto max-w-3xl px-3 pb-2 text-sm text-amber-900" data-testid="sync-memory-only">
          This window cannot keep changes if it closes; stay online until they are saved.
        </p>
      ) : null}
    </div>
  );
}

import { AppLink } from '@/components/ui/app-link';
import { chartPath } from './chart-paths';

const BUTTON = 'flex min-h-12 flex-1 items-center justify-center whitespace-nowrap rounded-[var(--hc-radius,0.75rem)] px-2 text-base font-semibold focus-visible:outline-3 focus-visible:outline-offset-2 focus-visible:outline-black';

/**
 * The two things a clinician between rooms most often does next. A bar fixed to the bottom of
 * a phone screen (thumb reach), a row under the header on wider screens.
 */
export function ActionBar({ launchId, current }: { launchId: string; current?: 'results' | 'note' }) {
  return (
    <nav aria-label="Primary actions" data-testid="action-bar" className="fixed inset-x-0 bottom-0 z-10 border-t border-gray-200 bg-white/95 px-3 py-2 shadow-[0_-2px_8px_rgba(0,0,0,0.08)] md:static md:mx-auto md:max-w-5xl md:border-0 md:bg-transparent md:shadow-none">
      <div className="mx-auto flex max-w-5xl gap-2">
        <AppLink href={chartPath(launchId, 'results')} data-testid="action-review-results" aria-current={current === 'results' ? 'page' : undefined} className={`${BUTTON} border-2 border-[var(--hc-accent,#1d4ed8)] bg-white text-[var(--hc-accent,#1d4ed8)]`}>
          Review results
        </AppLink>
        <AppLink href={chartPath(launchId, 'note')} data-testid="action-write-note" aria-current={current === 'note' ? 'page' : undefined} className={`${BUTTON} bg-[var(--hc-accent,#1d4ed8)] text-white`}>
          Write note
        </AppLink>
      </div>
    </nav>
  );
}

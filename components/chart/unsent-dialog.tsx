'use client';
import { useEffect, useRef } from 'react';
import type { unsentWork } from '@/components/sync/unsent-work';

export interface UnsentDialogProps {
  launchId: string;
  unsent: NonNullable<ReturnType<typeof unsentWork>>;
  /** Some of it needs the person (failed or to review): the dialog links to the review page. */
  reviewable: boolean;
  /** Shown as a modal while true. */
  open: boolean;
  /** Closed without a choice (Escape). */
  onClose(): void;
  onStay(): void;
  onDiscard(): void;
}

const BUTTON = 'min-h-11 rounded-lg border px-4 font-medium';

/**
 * What signing out would erase, asked before it does (sign-out-button.tsx): a chunk of its own,
 * loaded once there is something unsent, so no page carries it on first load.
 */
export function UnsentDialog({ launchId, unsent, reviewable, open, onClose, onStay, onDiscard }: UnsentDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const stay = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      // The safe choice has the focus when the dialog opens (React's autoFocus runs at mount, not at showModal).
      stay.current?.focus();
    } else if (!open && d.open) {
      d.close();
    }
  }, [open]);
  return (
    <dialog ref={dialog} onClose={onClose} aria-labelledby={`unsent-title-${launchId}`} aria-describedby={`unsent-text-${launchId}`} className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-gray-300 p-4 text-gray-900 backdrop:bg-black/40" data-testid="unsent-dialog">
      <h2 id={`unsent-title-${launchId}`} className="text-lg font-semibold" data-testid="unsent-headline">{unsent.headline}</h2>
      <div id={`unsent-text-${launchId}`}>
        <ul className="mt-2 list-disc pl-5 text-sm">
          {unsent.details.map((d) => <li key={d}>{d}</li>)}
        </ul>
        <p className="mt-2 text-sm">Signing out erases them from this device.</p>
        {reviewable ? (
          <p className="mt-1 text-sm">
            <a className="inline-flex min-h-11 items-center text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/review`} data-testid="unsent-review">See the changes that need you</a>
          </p>
        ) : null}
      </div>
      <div className="mt-4 flex flex-wrap gap-2">
        <button ref={stay} type="button" className={`${BUTTON} border-[var(--hc-accent)] bg-[var(--hc-accent)] text-white`} onClick={onStay} data-testid="unsent-stay">Stay and send</button>
        <button type="button" className={`${BUTTON} border-red-700 text-red-800`} onClick={onDiscard} data-testid="unsent-discard">Sign out and discard</button>
      </div>
    </dialog>
  );
}

'use client';
import { useRef, useState } from 'react';
import { unsentWork } from '@/components/sync/unsent-work';
import { useOptionalSync } from '@/components/sync/sync-provider';
import { clearLaunchSession } from './session-state';

/**
 * Signs out of one launch; first forgets what this tab kept for it (note draft, positions).
 * Signing out erases the device's copy, so when changes have not reached the EHR yet it first
 * says how many and lets the person stay and send them.
 */
export function SignOutButton({ launchId }: { launchId: string }) {
  const sync = useOptionalSync();
  const form = useRef<HTMLFormElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const stayButton = useRef<HTMLButtonElement>(null);
  const confirmed = useRef(false);
  const [offline, setOffline] = useState(false);
  const unsent = sync ? unsentWork(sync.summary) : null;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    // Ending the session at the EHR needs the server; without a network the post would end on the browser's error page.
    if (!navigator.onLine) {
      event.preventDefault();
      confirmed.current = false;
      setOffline(true);
      return;
    }
    setOffline(false);
    if (unsent && !confirmed.current) {
      event.preventDefault();
      dialog.current?.showModal();
      // The safe choice has the focus when the dialog opens (React's autoFocus runs at mount, not at showModal).
      stayButton.current?.focus();
      return;
    }
    clearLaunchSession(launchId);
  }
  function discardAndSignOut() {
    confirmed.current = true;
    dialog.current?.close();
    form.current?.requestSubmit();
  }
  function stay() {
    dialog.current?.close();
    sync?.syncNow();
  }

  const button = 'min-h-11 rounded-lg border px-4 font-medium';
  return (
    <form ref={form} method="post" action={`/l/${launchId}/signout`} onSubmit={onSubmit}>
      <button type="submit" data-testid="sign-out" className="min-h-11 min-w-11 rounded-lg px-3 text-[var(--hc-accent)] underline-offset-2 hover:underline focus-visible:outline-2">
        Sign out
      </button>
      {offline ? (
        <p role="alert" className="mt-1 max-w-xs text-sm text-amber-900" data-testid="sign-out-offline">
          You are offline. Sign out when you are back online; until then your changes stay on this device.
        </p>
      ) : null}
      {unsent ? (
        <dialog ref={dialog} aria-labelledby={`unsent-title-${launchId}`} aria-describedby={`unsent-text-${launchId}`} className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-gray-300 p-4 text-gray-900 backdrop:bg-black/40" data-testid="unsent-dialog">
          <h2 id={`unsent-title-${launchId}`} className="text-lg font-semibold" data-testid="unsent-headline">{unsent.headline}</h2>
          <div id={`unsent-text-${launchId}`}>
            <ul className="mt-2 list-disc pl-5 text-sm">
              {unsent.details.map((d) => <li key={d}>{d}</li>)}
            </ul>
            <p className="mt-2 text-sm">Signing out erases them from this device.</p>
            {sync && sync.summary.failed + sync.summary.needsReview > 0 ? (
              <p className="mt-1 text-sm">
                <a className="inline-flex min-h-11 items-center text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/review`} data-testid="unsent-review">See the changes that need you</a>
              </p>
            ) : null}
          </div>
          <div className="mt-4 flex flex-wrap gap-2">
            <button ref={stayButton} type="button" className={`${button} border-[var(--hc-accent)] bg-[var(--hc-accent)] text-white`} onClick={stay} data-testid="unsent-stay">Stay and send</button>
            <button type="button" className={`${button} border-red-700 text-red-800`} onClick={discardAndSignOut} data-testid="unsent-discard">Sign out and discard</button>
          </div>
        </dialog>
      ) : null}
    </form>
  );
}

'use client';
import { useRef, useState } from 'react';
import { unsentWork } from '@/components/sync/unsent-work';
import { useOptionalSync } from '@/components/sync/sync-provider';
import { laterChunk, lazyView } from '@/components/ui/later-chunk';
import { clearLaunchSession } from './session-state';

/** The question asked before unsent changes are erased: a chunk of its own, loaded once there are some (unsent-dialog.tsx). */
const unsentDialogCode = laterChunk(() => import('./unsent-dialog'));
const UnsentDialog = lazyView(unsentDialogCode, (m) => m.UnsentDialog);

/**
 * Signs out of one launch; first forgets what this tab kept for it (note draft, positions).
 * Signing out erases the device's copy, so when changes have not reached the EHR yet it first
 * says how many and lets the person stay and send them.
 */
export function SignOutButton({ launchId }: { launchId: string }) {
  const sync = useOptionalSync();
  const form = useRef<HTMLFormElement>(null);
  const confirmed = useRef(false);
  const [offline, setOffline] = useState(false);
  const [asking, setAsking] = useState(false);
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
      // Not signed out until the person chooses, even while the dialog's code is still arriving.
      event.preventDefault();
      setAsking(true);
      return;
    }
    clearLaunchSession(launchId);
  }
  function discardAndSignOut() {
    confirmed.current = true;
    setAsking(false);
    form.current?.requestSubmit();
  }
  function stay() {
    setAsking(false);
    sync?.syncNow();
  }

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
      {unsent ? <UnsentDialog launchId={launchId} unsent={unsent} reviewable={!!sync && sync.summary.failed + sync.summary.needsReview > 0} open={asking} onClose={() => setAsking(false)} onStay={stay} onDiscard={discardAndSignOut} /> : null}
    </form>
  );
}

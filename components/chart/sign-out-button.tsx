'use client';
import { clearLaunchSession } from './session-state';

/** Signs out of one launch; first forgets what this tab kept for it (note draft, positions). */
export function SignOutButton({ launchId }: { launchId: string }) {
  return (
    <form method="post" action={`/l/${launchId}/signout`} onSubmit={() => clearLaunchSession(launchId)}>
      <button type="submit" data-testid="sign-out" className="min-h-11 min-w-11 rounded-lg px-3 text-[var(--hc-accent)] underline-offset-2 hover:underline focus-visible:outline-2">
        Sign out
      </button>
    </form>
  );
}

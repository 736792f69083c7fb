'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

/** One tap to revoke a consent or share link (`path` is its API URL), then a second to confirm; the list refreshes from the server. */
export function RevokeButton({ path, label, testId = 'revoke' }: { path: string; label: string; testId?: string }) {
  const router = useRouter();
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy' | 'failed'>('idle');
  const btn = 'min-h-11 min-w-11 rounded-lg px-3 font-medium focus-visible:outline-2';

  async function revoke() {
    setStep('busy');
    const res = await fetch(path, { method: 'DELETE' }).catch(() => null);
    if (!res?.ok) return setStep('failed');
    setStep('idle');
    router.refresh();
  }

  if (step === 'idle' || step === 'failed') {
    return (
      <div className="flex items-center gap-2">
        <button type="button" data-testid={testId} aria-label={`Revoke: ${label}`} className={`${btn} border border-red-700 text-red-800`} onClick={() => setStep('confirm')}>
          Revoke
        </button>
        {step === 'failed' ? <span role="alert" className="text-sm text-red-800">Could not revoke. Try again.</span> : null}
      </div>
    );
  }
  return (
    <div role="group" aria-label="Confirm revoking" className="flex flex-wrap items-center gap-2">
      <span className="text-sm">Stop this sharing now?</span>
      <button type="button" data-testid={`${testId}-confirm`} disabled={step === 'busy'} className={`${btn} bg-red-700 text-white`} onClick={revoke}>
        {step === 'busy' ? 'Revoking…' : 'Yes, revoke'}
      </button>
      <button type="button" className={`${btn} text-[var(--hc-accent)] underline`} onClick={() => setStep('idle')}>
        Keep it
      </button>
    </div>
  );
}

'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

/**
 * Lets the patient choose "only the people I share with" as their own default: afterwards a
 * clinician sees only what the patient shared with them. Shown while no such choice is in force;
 * once made it is listed (and revocable) with the patient's other choices.
 */
export function DefaultChoice({ launchId }: { launchId: string }) {
  const router = useRouter();
  const [step, setStep] = useState<'idle' | 'confirm' | 'busy' | 'failed'>('idle');
  const btn = 'min-h-11 rounded-lg px-4 font-medium focus-visible:outline-2';

  async function choose() {
    setStep('busy');
    const res = await fetch(`/api/l/${launchId}/consents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'patient-default', rule: 'deny' }) }).catch(() => null);
    if (!res?.ok) return setStep('failed');
    setStep('idle');
    router.refresh();
  }

  return (
    <section aria-labelledby="default-choice-title" className="mt-3 space-y-2 rounded-xl border border-gray-200 bg-white p-3" data-testid="default-choice">
      <h2 id="default-choice-title" className="font-semibold">Who sees what you have not shared</h2>
      <p className="text-sm text-gray-700">Right now, the people caring for you can see your record unless you restrict it. You can choose that only the people you share with see it.</p>
      {step === 'confirm' || step === 'busy' ? (
        <div role="group" aria-label="Confirm the choice" className="flex flex-wrap items-center gap-2">
          <span className="text-sm">Clinicians will see only what you share with them, except in an emergency. Continue?</span>
          <button type="button" data-testid="default-choice-confirm" disabled={step === 'busy'} className={`${btn} bg-[var(--hc-accent)] text-white`} onClick={choose}>{step === 'busy' ? 'Saving…' : 'Yes, only the people I share with'}</button>
          <button type="button" className={`${btn} text-[var(--hc-accent)] underline`} onClick={() => setStep('idle')}>Keep as it is</button>
        </div>
      ) : (
        <button type="button" data-testid="default-choice-open" className={`${btn} border border-[var(--hc-accent)] text-[var(--hc-accent)]`} onClick={() => setStep('confirm')}>Only the people I share with…</button>
      )}
      {step === 'failed' ? <p role="alert" className="text-sm text-red-800">Could not save this choice. Try again.</p> : null}
    </section>
  );
}

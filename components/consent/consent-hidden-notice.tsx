'use client';
import { useState } from 'react';
import { describeWhyHidden } from '@/lib/consent/why-hidden';

/**
 * Tells a clinician that the patient's sharing choices withheld, or may have withheld, part of
 * the chart, and offers break-glass: a stated reason and a time limit, recorded and shown to the
 * patient. Never how many items: counted under a search by code, that would say what the patient has.
 */
export function ConsentHiddenNotice({ launchId, why = [] }: { launchId: string; why?: readonly string[] }) {
  const hints = describeWhyHidden(why);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(30);
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const [refusal, setRefusal] = useState('Emergency access was refused.');
  const button = 'min-h-11 rounded-lg px-4 font-medium focus-visible:outline-2';
  const valid = reason.trim().length >= 10;

  async function breakGlass(e: React.FormEvent) {
    e.preventDefault();
    if (!valid) return;
    setState('busy');
    const res = await fetch(`/api/l/${launchId}/break-glass`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: reason.trim(), minutes }) }).catch(() => null);
    if (!res?.ok) {
      // The OperationOutcome says why (for example: this account is not allowed emergency access).
      const outcome = (await res?.json().catch(() => null)) as { issue?: { details?: { text?: string } }[] } | null;
      setRefusal(outcome?.issue?.[0]?.details?.text ?? 'Emergency access was refused.');
      return setState('failed');
    }
    window.location.reload();
  }

  return (
    <section role="status" aria-labelledby="consent-hidden-title" data-testid="consent-hidden-notice" className="rounded-lg border border-amber-700 bg-amber-50 p-3 text-amber-950 md:col-span-2">
      <h2 id="consent-hidden-title" className="font-semibold">Some records may be hidden by the patient&apos;s sharing choices</h2>
      <p className="text-sm">In an emergency you may open them; this is recorded and the patient is told.</p>
      {hints.length ? (
        <ul className="mt-1 list-disc pl-5 text-sm" data-testid="consent-hidden-why">
          {hints.map((h) => <li key={h}>{h}</li>)}
        </ul>
      ) : null}
      {!open ? (
        <button type="button" data-testid="break-glass-open" className={`${button} mt-2 border border-amber-800`} onClick={() => setOpen(true)}>Emergency access…</button>
      ) : (
        <form className="mt-2 space-y-2" onSubmit={breakGlass}>
          <label className="block">
            Why is emergency access needed?
            <textarea data-testid="break-glass-reason" className="mt-1 block w-full rounded-lg border border-gray-400 p-2" minLength={10} maxLength={500} required value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby="btg-hint" />
          </label>
          <p id="btg-hint" className="text-sm">At least 10 characters.</p>
          <label className="block">
            For how long?
            <select data-testid="break-glass-minutes" className="mt-1 block min-h-11 rounded-lg border border-gray-400 px-2" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
              {[15, 30, 60].map((m) => <option key={m} value={m}>{m} minutes</option>)}
            </select>
          </label>
          {state === 'failed' ? <p role="alert" data-testid="break-glass-refused" className="text-red-800">{refusal}</p> : null}
          <div className="flex flex-wrap gap-2">
            <button type="submit" data-testid="break-glass-submit" disabled={!valid || state === 'busy'} className={`${button} bg-red-700 text-white disabled:opacity-50`}>Open for {minutes} minutes</button>
            <button type="button" className={`${button} underline`} onClick={() => setOpen(false)}>Cancel</button>
          </div>
        </form>
      )}
    </section>
  );
}

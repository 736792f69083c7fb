'use client';
import { useState } from 'react';

/** What the server said when it did not record the choice: its OperationOutcome's text, else a plain line. */
async function refusal(res: Response | null): Promise<string> {
  if (!res) return 'Housecall could not be reached. Nothing was recorded; try again when you are online.';
  const body = (await res.json().catch(() => null)) as { issue?: { details?: { text?: string } }[] } | null;
  return body?.issue?.[0]?.details?.text ?? 'Could not record this. Nothing was changed.';
}

/**
 * The last step of sharing or restricting: the exact words the patient confirms (kept with the
 * consent), then one tap to record them, or Change to go back without losing the choice.
 * `testId` prefixes the test ids (`share-preview`, `restrict-confirm`, ...).
 */
export function ConfirmChoice({ launchId, testId, preview, body, confirmLabel, onChange }: { launchId: string; testId: string; preview: string; body: Record<string, unknown>; confirmLabel: string; onChange: () => void }) {
  const [state, setState] = useState<{ step: 'reading' | 'busy' | 'done' } | { step: 'failed'; why: string }>({ step: 'reading' });
  const button = 'min-h-11 rounded-lg px-4 font-medium focus-visible:outline-2';

  async function confirm() {
    setState({ step: 'busy' });
    const res = await fetch(`/api/l/${launchId}/consents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, preview }) }).catch(() => null);
    setState(res?.ok ? { step: 'done' } : { step: 'failed', why: await refusal(res) });
  }

  if (state.step === 'done') {
    return (
      <div role="status" data-testid={`${testId}-done`} className="rounded-xl border border-green-700 bg-green-50 p-3">
        <p>Done. {preview}</p>
        <a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/sharing`} data-testid="sharing-centre-link">Open your sharing centre</a>
      </div>
    );
  }
  return (
    <section aria-labelledby={`${testId}-preview-title`} className="space-y-3 rounded-xl border border-gray-300 bg-white p-3">
      <h2 id={`${testId}-preview-title`} className="font-semibold">Check before you confirm</h2>
      <p data-testid={`${testId}-preview`}>{preview}</p>
      {state.step === 'failed' ? <p role="alert" data-testid={`${testId}-failed`} className="text-red-800">{state.why}</p> : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" data-testid={`${testId}-confirm`} disabled={state.step === 'busy'} className={`${button} bg-[var(--hc-accent)] text-white`} onClick={confirm}>
          {state.step === 'busy' ? 'Recording…' : confirmLabel}
        </button>
        <button type="button" className={`${button} text-[var(--hc-accent)] underline`} onClick={onChange}>Change</button>
      </div>
    </section>
  );
}

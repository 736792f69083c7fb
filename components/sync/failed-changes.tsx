'use client';

import { useState } from 'react';
import type { OutboxEntry } from '@/lib/sync';
import { canTransition } from '@/lib/sync/outbox-states';
import { changedFields, failureWords } from './change-words';
import { useSync } from './sync-provider';

const button = 'min-h-11 rounded-lg border px-4 font-medium';

function FailedChange({ entry }: { entry: OutboxEntry }) {
  const { retry, discard } = useSync();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const fields = changedFields(entry);
  const act = (run: () => Promise<void>) => run().then(() => setError(''), () => setError('That did not work. Try again.'));
  const headingId = `failed-${entry.id}`;
  return (
    <article className="rounded-xl border border-red-300 bg-white p-3" data-testid="failed-change" aria-labelledby={headingId}>
      <h2 id={headingId} className="font-semibold">Not sent: {fields.map((f) => f.label).join(', ') || 'a change'}</h2>
      <dl className="mt-1 text-sm">
        {fields.map((f) => (
          <div key={f.unit} className="flex flex-wrap gap-x-2" data-testid="failed-field">
            <dt className="font-medium">{f.label}</dt>
            <dd>
              <span data-testid="failed-after">{f.after}</span> <span className="text-gray-700">(was {f.before})</span>
            </dd>
          </div>
        ))}
      </dl>
      <p className="mt-2 text-sm text-red-900" data-testid="failed-reason">{failureWords(entry.lastError)}</p>
      {confirming ? (
        <div role="group" aria-label="Discard this change?" className="mt-3 rounded-lg bg-red-50 p-2">
          <p className="text-sm">Discard this change? It is erased from this device and never reaches your clinic.</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button type="button" className={`${button} border-red-700 bg-red-700 text-white`} onClick={() => void act(() => discard(entry.id))} data-testid="failed-discard-confirm">Discard change</button>
            <button type="button" autoFocus className={`${button} border-gray-400`} onClick={() => setConfirming(false)} data-testid="failed-discard-cancel">Keep it</button>
          </div>
        </div>
      ) : (
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="button" className={`${button} border-[var(--hc-accent)] bg-[var(--hc-accent)] text-white`} disabled={!canTransition(entry.state, 'requeue')} onClick={() => void act(() => retry(entry.id))} data-testid="failed-retry">Try again</button>
          <button type="button" className={`${button} border-gray-400`} disabled={!canTransition(entry.state, 'discard')} onClick={() => setConfirming(true)} data-testid="failed-discard">Discard</button>
        </div>
      )}
      {error ? <p role="alert" className="mt-2 text-red-800">{error}</p> : null}
    </article>
  );
}

/** Changes the EHR refused for good: what each was, why, and "Try again" or "Discard". */
export function FailedChanges() {
  const { entries } = useSync();
  const failed = entries.filter((e) => e.state === 'failed');
  if (failed.length === 0) return null;
  return (
    <section className="mt-3 space-y-3" data-testid="failed-changes" aria-label="Changes not sent">
      {failed.map((entry) => <FailedChange key={entry.id} entry={entry} />)}
    </section>
  );
}

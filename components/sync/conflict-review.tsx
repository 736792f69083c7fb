'use client';

import Link from 'next/link';
import { useState } from 'react';
import type { FieldDiff } from '@/lib/sync';
import { useSync } from './sync-provider';

const FIELD_NAMES: Record<string, string> = {
  'telecom[phone|mobile]': 'Mobile phone', 'telecom[phone|home]': 'Home phone', 'telecom[email|home]': 'Email', 'address[home]': 'Home address',
};

function show(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value !== 'object') return String(value);
  const v = value as { value?: string; line?: string[]; city?: string; postalCode?: string };
  if (v.value !== undefined) return v.value;
  if (v.line || v.city) return [...(v.line ?? []), v.city, v.postalCode].filter(Boolean).join(', ');
  return JSON.stringify(value);
}

function Field({ diff }: { diff: FieldDiff }) {
  const cell = 'px-2 py-1 align-top';
  return (
    <tr data-testid="conflict-field" data-path={diff.path}>
      <th scope="row" className={`${cell} text-left font-medium`}>{FIELD_NAMES[diff.path] ?? diff.path}</th>
      <td className={cell} data-testid="conflict-base">{show(diff.base)}</td>
      <td className={cell} data-testid="conflict-mine">{show(diff.mine)}</td>
      <td className={cell} data-testid="conflict-theirs">{show(diff.theirs)}</td>
    </tr>
  );
}

/** Each change that needs review: what it was based on, what the person changed, what the clinic has now. */
export function ConflictReview({ launchId }: { launchId: string }) {
  const { entries, resolve } = useSync();
  const [error, setError] = useState('');
  const open = entries.filter((e) => e.state === 'needs-review' && e.conflict);
  const decide = (id: string, decision: 'keep-theirs' | 'keep-mine') =>
    resolve(id, decision).then(() => setError(''), () => setError('Your choice could not be recorded. Check your connection and try again.'));
  const button = 'min-h-11 rounded-lg border px-4 font-medium';
  return (
    <section className="mt-3 space-y-3" data-testid="conflict-review">
      {open.length === 0 ? <p data-testid="conflict-none">Nothing needs your review. <Link className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal`}>Back to your summary</Link></p> : null}
      {open.map((entry) => (
        <article key={entry.id} className="rounded-xl border border-amber-300 bg-white p-3" data-testid="conflict">
          {entry.lastError?.code === 'held' ? (
            <>
              <h2 className="font-semibold">Not sent: the sharing choices in force no longer allow this change</h2>
              <p className="text-sm">It is kept here. Keep the clinic&apos;s copy to let it go; keeping yours holds it again until the choices allow it.</p>
            </>
          ) : <h2 className="font-semibold">Your clinic changed the same details you did</h2>}
          <table className="mt-2 w-full text-sm">
            <thead>
              <tr className="text-left text-gray-700"><th className="px-2">Detail</th><th className="px-2">Before</th><th className="px-2">Yours</th><th className="px-2">Clinic’s</th></tr>
            </thead>
            <tbody>{entry.conflict!.fields.map((f) => <Field key={f.path} diff={f} />)}</tbody>
          </table>
          <div className="mt-3 flex flex-wrap gap-2">
            <button type="button" className={`${button} border-gray-400`} onClick={() => void decide(entry.id, 'keep-theirs')} data-testid="keep-theirs">Keep the clinic’s</button>
            <button type="button" className={`${button} border-[var(--hc-accent)] bg-[var(--hc-accent)] text-white`} onClick={() => void decide(entry.id, 'keep-mine')} data-testid="keep-mine">Keep mine</button>
          </div>
        </article>
      ))}
      {error ? <p role="alert" className="text-red-800">{error}</p> : null}
    </section>
  );
}

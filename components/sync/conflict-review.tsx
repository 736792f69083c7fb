'use client';

import Link from 'next/link';
import { useState } from 'react';
import { reapplyOnTheirs, type FieldDiff, type OutboxEntry } from '@/lib/sync';
import { useSync } from './sync-provider';

const FIELD_NAMES: Record<string, string> = {
  'telecom[phone|mobile]': 'Mobile phone', 'telecom[phone|home]': 'Home phone', 'telecom[email|home]': 'Email', 'address[home]': 'Home address',
};

function show(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value !== 'object') return String(value);
  const v = value as { value?: string; line?: string[]; city?: string; postalCode?: string; reference?: string; text?: string };
  if (v.value !== undefined) return v.value;
  if (v.text !== undefined) return v.text;
  if (v.reference !== undefined) return v.reference;
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

const CLINICAL_TITLES: Record<string, string> = {
  commentOnAllergy: 'This allergy changed in the EHR while your comment was waiting',
  signNote: 'This note changed in the EHR while your signature was waiting',
  draftNote: 'This note changed in the EHR while your change was waiting',
};

/** Words that differ between the patient's review and the clinician's. */
function wordsFor(audience: 'patient' | 'clinician', entry: OutboxEntry) {
  if (audience === 'patient') return { title: 'Your clinic changed the same details you did', theirs: 'Clinic’s', keepTheirs: 'Keep the clinic’s', keepMine: 'Keep mine' };
  return {
    title: CLINICAL_TITLES[entry.mutation ?? ''] ?? `This ${entry.resourceType} changed in the EHR while your change was waiting`,
    theirs: 'EHR’s now', keepTheirs: 'Keep the EHR’s and drop mine', keepMine: 'Send my whole copy over it',
  };
}

/**
 * Each change that needs review: what it was based on, what the person changed, what the clinic
 * has now. A clinician may also make their change again on the EHR's copy where that is safe
 * (an allergy comment, a signature), which keeps the other side's change.
 */
export function ConflictReview({ launchId, audience = 'patient' }: { launchId: string; audience?: 'patient' | 'clinician' }) {
  const { entries, resolve } = useSync();
  const [error, setError] = useState('');
  const open = entries.filter((e) => e.state === 'needs-review' && e.conflict);
  const back = audience === 'patient' ? { href: `/l/${launchId}/portal`, text: 'Back to your summary' } : { href: `/l/${launchId}/chart`, text: 'Back to the chart' };
  const decide = (id: string, decision: 'keep-theirs' | 'keep-mine' | 'reapply') =>
    resolve(id, decision).then(() => setError(''), () => setError('Your choice could not be recorded. Check your connection and try again.'));
  const button = 'min-h-11 rounded-lg border px-4 font-medium';
  return (
    <section className="mt-3 space-y-3" data-testid="conflict-review">
      {open.length === 0 ? <p data-testid="conflict-none">Nothing needs your review. <Link className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={back.href}>{back.text}</Link></p> : null}
      {open.map((entry) => {
        const words = wordsFor(audience, entry);
        const canReapply = audience === 'clinician' && reapplyOnTheirs(entry, entry.conflict!.theirs) !== undefined;
        return (
          <article key={entry.id} className="rounded-xl border border-amber-300 bg-white p-3" data-testid="conflict" data-mutation={entry.mutation}>
            <h2 className="font-semibold">{words.title}</h2>
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="What differs">
              <table className="mt-2 w-full text-sm">
                <thead>
                  <tr className="text-left text-gray-700"><th className="px-2">Detail</th><th className="px-2">Before</th><th className="px-2">Yours</th><th className="px-2">{words.theirs}</th></tr>
                </thead>
                <tbody>{entry.conflict!.fields.map((f) => <Field key={f.path} diff={f} />)}</tbody>
              </table>
            </div>
            <div className="mt-3 flex flex-wrap gap-2">
              <button type="button" className={`${button} border-gray-400`} onClick={() => void decide(entry.id, 'keep-theirs')} data-testid="keep-theirs">{words.keepTheirs}</button>
              {canReapply ? (
                <button type="button" className={`${button} border-[var(--hc-accent)] bg-[var(--hc-accent)] text-white`} onClick={() => void decide(entry.id, 'reapply')} data-testid="reapply-mine">Add my change to the EHR’s version</button>
              ) : null}
              <button type="button" className={`${button} ${canReapply ? 'border-gray-400' : 'border-[var(--hc-accent)] bg-[var(--hc-accent)] text-white'}`} onClick={() => void decide(entry.id, 'keep-mine')} data-testid="keep-mine">{words.keepMine}</button>
            </div>
          </article>
        );
      })}
      {error ? <p role="alert" className="text-red-800">{error}</p> : null}
    </section>
  );
}

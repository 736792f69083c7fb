'use client';

import type { Resource } from '@medplum/fhirtypes';
import { AppLink } from '@/components/ui/app-link';
import { useState } from 'react';
import type { FieldDiff, OutboxEntry, Resolution } from '@/lib/sync';
import { reapplyOnTheirs } from '@/lib/sync/reapply';
import { editableField, fieldLabel, fieldText, showValue, withFieldText } from './change-words';
import { DamagedChanges } from './damaged-changes';
import { FailedChanges } from './failed-changes';
import { useSync } from './sync-provider';

const button = 'min-h-11 rounded-lg border px-4 font-medium';
const input = 'mt-1 block min-h-11 w-full rounded-lg border border-gray-400 px-3';

function Field({ diff }: { diff: FieldDiff }) {
  const cell = 'px-2 py-1 align-top';
  return (
    <tr data-testid="conflict-field" data-path={diff.path}>
      <th scope="row" className={`${cell} text-left font-medium`}>{fieldLabel(diff.path)}</th>
      <td className={cell} data-testid="conflict-base">{showValue(diff.base)}</td>
      <td className={cell} data-testid="conflict-mine">{showValue(diff.mine)}</td>
      <td className={cell} data-testid="conflict-theirs">{showValue(diff.theirs)}</td>
    </tr>
  );
}

/** The third choice: start from mine or the clinic's copy, change the differing details, save on the clinic's version. */
function EditForm({ entry, onSave, onCancel }: { entry: OutboxEntry; onSave: (resource: Resource) => void; onCancel: () => void }) {
  const [from, setFrom] = useState<'mine' | 'theirs'>('mine');
  const start = (from === 'mine' ? entry.payload : entry.conflict!.theirs)!;
  const fields = entry.conflict!.fields.filter((f) => editableField(f.path));
  const fixed = entry.conflict!.fields.filter((f) => !editableField(f.path));
  function save(form: FormData) {
    onSave(fields.reduce((r, f) => withFieldText(r, f.path, String(form.get(f.path) ?? '')), structuredClone(start)));
  }
  return (
    <form action={save} className="mt-3 space-y-2 rounded-lg bg-gray-50 p-2" data-testid="conflict-edit">
      <div role="group" aria-label="Start from" className="flex flex-wrap items-center gap-2">
        <span className="text-sm">Start from:</span>
        <button type="button" aria-pressed={from === 'mine'} className={`${button} ${from === 'mine' ? 'border-[var(--hc-accent)] font-semibold' : 'border-gray-400'}`} onClick={() => setFrom('mine')} data-testid="edit-from-mine">Yours</button>
        <button type="button" aria-pressed={from === 'theirs'} className={`${button} ${from === 'theirs' ? 'border-[var(--hc-accent)] font-semibold' : 'border-gray-400'}`} onClick={() => setFrom('theirs')} data-testid="edit-from-theirs">Clinic’s</button>
      </div>
      <div key={from}>
        {fields.map((f) => (
          <label key={f.path} className="block">
            {fieldLabel(f.path)}
            <input className={input} name={f.path} defaultValue={fieldText(start, f.path)} data-testid="edit-field" data-path={f.path} />
          </label>
        ))}
      </div>
      {fixed.length ? <p className="text-sm text-gray-700">{fixed.map((f) => fieldLabel(f.path)).join(', ')}: kept as in the copy you start from.</p> : null}
      <div className="flex flex-wrap gap-2">
        <button type="submit" className={`${button} border-[var(--hc-accent)] bg-[var(--hc-accent)] text-white`} data-testid="edit-save">Save this version</button>
        <button type="button" className={`${button} border-gray-400`} onClick={onCancel} data-testid="edit-cancel">Cancel</button>
      </div>
    </form>
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
  const { entries, resolve, damaged } = useSync();
  const [error, setError] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const open = entries.filter((e) => e.state === 'needs-review' && e.conflict);
  const failed = entries.some((e) => e.state === 'failed');
  const back = audience === 'patient' ? { href: `/l/${launchId}/portal`, text: 'Back to your summary' } : { href: `/l/${launchId}/chart`, text: 'Back to the chart' };
  const decide = (id: string, resolution: Resolution | { decision: 'reapply' }) =>
    resolve(id, resolution).then(() => (setError(''), setEditing(null)), () => setError('Your choice could not be recorded. Check your connection and try again.'));
  return (
    <section className="mt-3 space-y-3" data-testid="conflict-review">
      {open.length === 0 && !failed && damaged.length === 0 ? <p data-testid="conflict-none">Nothing needs your review. <AppLink className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={back.href}>{back.text}</AppLink></p> : null}
      <DamagedChanges />
      <FailedChanges />
      {open.map((entry) => {
        const words = wordsFor(audience, entry);
        const canReapply = audience === 'clinician' && reapplyOnTheirs(entry, entry.conflict!.theirs) !== undefined;
        const canEdit = audience === 'patient' && entry.payload !== null && entry.conflict!.theirs !== null && entry.conflict!.fields.some((f) => editableField(f.path));
        const primary = `${button} border-[var(--hc-accent)] bg-[var(--hc-accent)] text-white`;
        return (
          <article key={entry.id} className="rounded-xl border border-amber-300 bg-white p-3" data-testid="conflict" data-mutation={entry.mutation}>
            {entry.lastError?.code === 'held' ? (
              <>
                <h2 className="font-semibold">Not sent: the sharing choices in force no longer allow this change</h2>
                <p className="text-sm">It is kept here. {audience === 'patient' ? 'Keep the clinic’s copy' : 'Keep the EHR’s copy'} to let it go; keeping yours holds it again until the choices allow it.</p>
              </>
            ) : <h2 className="font-semibold">{words.title}</h2>}
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="What differs">
              <table className="mt-2 w-full text-sm">
                <thead>
                  <tr className="text-left text-gray-700"><th className="px-2">Detail</th><th className="px-2">Before</th><th className="px-2">Yours</th><th className="px-2">{words.theirs}</th></tr>
                </thead>
                <tbody>{entry.conflict!.fields.map((f) => <Field key={f.path} diff={f} />)}</tbody>
              </table>
            </div>
            <div className="mt-3 flex flex-wrap gap-2">
              <button type="button" className={`${button} border-gray-400`} onClick={() => void decide(entry.id, { decision: 'keep-theirs' })} data-testid="keep-theirs">{words.keepTheirs}</button>
              {canReapply ? (
                <button type="button" className={primary} onClick={() => void decide(entry.id, { decision: 'reapply' })} data-testid="reapply-mine">Add my change to the EHR’s version</button>
              ) : null}
              <button type="button" className={canReapply ? `${button} border-gray-400` : primary} onClick={() => void decide(entry.id, { decision: 'keep-mine' })} data-testid="keep-mine">{words.keepMine}</button>
              {canEdit ? (
                <button type="button" aria-expanded={editing === entry.id} className={`${button} border-gray-400`} onClick={() => setEditing(editing === entry.id ? null : entry.id)} data-testid="edit-conflict">Edit</button>
              ) : null}
            </div>
            {editing === entry.id ? <EditForm entry={entry} onSave={(resource) => void decide(entry.id, { decision: 'edit', resource })} onCancel={() => setEditing(null)} /> : null}
          </article>
        );
      })}
      {error ? <p role="alert" className="text-red-800">{error}</p> : null}
    </section>
  );
}

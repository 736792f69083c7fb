'use client';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

const TYPES = [
  ['AllergyIntolerance', 'Allergies'], ['Condition', 'Conditions'], ['MedicationRequest', 'Medicines'], ['Observation', 'Results and vital signs'], ['Immunization', 'Vaccinations'],
] as const;

/** Makes a time-boxed link a clinician outside the EHR can open to read only the chosen data. */
export function ShareLinkForm({ launchId }: { launchId: string }) {
  const router = useRouter();
  const [types, setTypes] = useState<string[]>(['AllergyIntolerance']);
  const [hours, setHours] = useState(24);
  const [link, setLink] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const toggle = (t: string) => setTypes((cur) => (cur.includes(t) ? cur.filter((x) => x !== t) : [...cur, t]));

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setFailed(false);
    const res = await fetch(`/api/l/${launchId}/share-links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resourceTypes: types, hours }) }).catch(() => null);
    if (!res?.ok) return setFailed(true);
    const body = (await res.json()) as { path: string };
    setLink(new URL(body.path, window.location.origin).toString());
    router.refresh();
  }

  return (
    <form onSubmit={create} className="space-y-2 rounded-xl border border-gray-200 bg-white p-3" aria-labelledby="share-link-title">
      <h2 id="share-link-title" className="font-semibold">Share with a clinician outside this system</h2>
      <fieldset>
        <legend className="text-sm">What they can read</legend>
        {TYPES.map(([code, label]) => (
          <label key={code} className="flex min-h-11 items-center gap-2">
            <input type="checkbox" className="size-5" data-testid={`link-type-${code}`} checked={types.includes(code)} onChange={() => toggle(code)} /> {label}
          </label>
        ))}
      </fieldset>
      <label className="block">
        For how many hours?
        <select data-testid="link-hours" className="mt-1 block min-h-11 rounded-lg border border-gray-400 px-2" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
          {[1, 24, 72, 168].map((h) => <option key={h} value={h}>{h === 168 ? '1 week' : `${h} hour${h === 1 ? '' : 's'}`}</option>)}
        </select>
      </label>
      <p className="text-sm text-gray-700">The link works only while you stay signed in to Housecall, until it expires, or until you revoke it. Anyone with the link can read the items you chose.</p>
      <button type="submit" data-testid="link-create" disabled={types.length === 0} className="min-h-11 rounded-lg bg-[var(--hc-accent)] px-4 font-medium text-white disabled:opacity-50">Create link</button>
      {failed ? <p role="alert" className="text-red-800">Could not create the link.</p> : null}
      {link ? (
        <p role="status" className="break-all">Send this link: <a href={link} data-testid="link-url" className="text-[var(--hc-accent)] underline">{link}</a> It is shown only once.</p>
      ) : null}
    </form>
  );
}

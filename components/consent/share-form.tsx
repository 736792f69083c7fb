'use client';
import { useEffect, useState } from 'react';

export interface ShareSection {
  key: string;
  label: string;
  resourceTypes: string[];
}

interface PractitionerOption { id: string; name: string }

/** Reads the practitioners the patient may pick from; none when the patient's scopes do not allow it. */
function usePractitioners(launchId: string): PractitionerOption[] | null {
  const [list, setList] = useState<PractitionerOption[] | null>(null);
  useEffect(() => {
    let live = true;
    fetch(`/api/l/${launchId}/fhir/Practitioner?_count=50`)
      .then((r) => (r.ok ? r.json() : null))
      .then((b: { entry?: { resource?: { id?: string; name?: { text?: string; family?: string; given?: string[] }[] } }[] } | null) => {
        const out = (b?.entry ?? []).flatMap((e) => {
          const p = e.resource;
          if (!p?.id) return [];
          const n = p.name?.[0];
          return [{ id: p.id, name: n?.text ?? ([...(n?.given ?? []), n?.family ?? ''].join(' ').trim() || p.id) }];
        });
        if (live) setList(out);
      })
      .catch(() => live && setList([]));
    return () => { live = false; };
  }, [launchId]);
  return list;
}

/** Builds the exact words the patient confirms; the same text is stored with the consent. */
export function sharePreview(section: ShareSection, who: string, days: number, now: Date): string {
  const until = new Date(now.getTime() + days * 86_400_000).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  return `You are sharing your ${section.label} with ${who}, for any purpose, for ${days} day${days === 1 ? '' : 's'} (until ${until}). Nothing else in your record is shared. You can revoke this at any time in your sharing centre.`;
}

/** Point-of-action sharing: pick whom and how long, read exactly what will be shared, then confirm. */
export function ShareForm({ launchId, section }: { launchId: string; section: ShareSection }) {
  const loaded = usePractitioners(launchId);
  const practitioners = loaded ?? [];
  const [practitionerId, setPractitionerId] = useState('');
  const [days, setDays] = useState(30);
  const [preview, setPreview] = useState<string | null>(null);
  const [state, setState] = useState<'editing' | 'busy' | 'done' | 'failed'>('editing');
  const field = 'mt-1 block min-h-11 w-full rounded-lg border border-gray-400 px-2';
  const button = 'min-h-11 rounded-lg px-4 font-medium focus-visible:outline-2';
  const validId = /^[A-Za-z0-9\-.]{1,64}$/.test(practitionerId);
  const who = practitioners.find((p) => p.id === practitionerId)?.name ?? `practitioner ${practitionerId}`;

  async function confirm() {
    if (!preview) return;
    setState('busy');
    const res = await fetch(`/api/l/${launchId}/consents`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'share-with-practitioner', practitionerId, resourceTypes: section.resourceTypes, days, preview }),
    }).catch(() => null);
    setState(res?.ok ? 'done' : 'failed');
  }

  if (state === 'done') {
    return (
      <div role="status" data-testid="share-done" className="rounded-xl border border-green-700 bg-green-50 p-3">
        <p>Shared. {preview}</p>
        <a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/sharing`} data-testid="sharing-centre-link">Open your sharing centre</a>
      </div>
    );
  }
  if (preview) {
    return (
      <section aria-labelledby="share-preview-title" className="space-y-3 rounded-xl border border-gray-300 bg-white p-3">
        <h2 id="share-preview-title" className="font-semibold">Check before you share</h2>
        <p data-testid="share-preview">{preview}</p>
        {state === 'failed' ? <p role="alert" className="text-red-800">Could not record this. Nothing was shared.</p> : null}
        <div className="flex flex-wrap gap-2">
          <button type="button" data-testid="share-confirm" disabled={state === 'busy'} className={`${button} bg-[var(--hc-accent)] text-white`} onClick={confirm}>
            {state === 'busy' ? 'Sharing…' : 'Confirm and share'}
          </button>
          <button type="button" className={`${button} text-[var(--hc-accent)] underline`} onClick={() => { setPreview(null); setState('editing'); }}>Change</button>
        </div>
      </section>
    );
  }
  return (
    <form className="space-y-3" data-practitioners={loaded === null ? 'loading' : practitioners.length > 0 ? 'list' : 'manual'} onSubmit={(e) => { e.preventDefault(); if (validId) setPreview(sharePreview(section, who, days, new Date())); }}>
      <label className="block">
        Who should see your {section.label}?
        {practitioners.length > 0 ? (
          <select data-testid="share-practitioner" className={field} value={practitionerId} onChange={(e) => setPractitionerId(e.target.value)} required>
            <option value="">Choose a practitioner</option>
            {practitioners.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        ) : (
          <input data-testid="share-practitioner-id" className={field} value={practitionerId} onChange={(e) => setPractitionerId(e.target.value.trim())} required placeholder="Practitioner id, e.g. from your letter" />
        )}
      </label>
      <label className="block">
        For how many days?
        <input data-testid="share-days" type="number" min={1} max={365} className={field} value={days} onChange={(e) => setDays(Math.min(365, Math.max(1, Number(e.target.value) || 1)))} />
      </label>
      <button type="submit" data-testid="share-review" disabled={!validId} className={`${button} bg-[var(--hc-accent)] text-white disabled:opacity-50`}>Review what will be shared</button>
    </form>
  );
}

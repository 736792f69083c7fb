'use client';
import { useState } from 'react';
import type { CarePerson } from '@/lib/fhir/compose/care-team';
import { PersonPicker } from '../people/person-picker';
import { useCarePeople } from '../people/use-care-people';
import { ConfirmChoice } from './confirm-choice';
import { personInSentence, practitionerIdOf } from './person-words';

export interface ShareSection {
  key: string;
  label: string;
  resourceTypes: string[];
}

/** Builds the exact words the patient confirms; the same text is stored with the consent. */
export function sharePreview(section: ShareSection, who: string, days: number, now: Date): string {
  const until = new Date(now.getTime() + days * 86_400_000).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  return `You are sharing your ${section.label} with ${who}, for any purpose, for ${days} day${days === 1 ? '' : 's'} (until ${until}). Nothing else in your record is shared. You can revoke this at any time in your sharing centre.`;
}

/** Point-of-action sharing: pick whom (by name, from the people who care for the patient) and how long, read exactly what will be shared, then confirm. */
export function ShareForm({ launchId, patientId, section }: { launchId: string; patientId: string; section: ShareSection }) {
  const care = useCarePeople(launchId, patientId);
  const [person, setPerson] = useState<CarePerson | null>(null);
  const [days, setDays] = useState(30);
  const [preview, setPreview] = useState<string | null>(null);
  const field = 'mt-1 block min-h-11 w-full rounded-lg border border-gray-400 px-2';

  if (preview && person) {
    const body = { kind: 'share-with-practitioner', practitionerId: practitionerIdOf(person), resourceTypes: section.resourceTypes, days };
    return <ConfirmChoice launchId={launchId} testId="share" preview={preview} body={body} confirmLabel="Confirm and share" onChange={() => setPreview(null)} />;
  }
  return (
    <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); if (person) setPreview(sharePreview(section, personInSentence(person), days, new Date())); }}>
      <PersonPicker legend={`Who should see your ${section.label}?`} people={care.data} isLoading={care.isLoading} outcome={care.outcome} value={person?.reference ?? null} onChange={setPerson} />
      <label className="block">
        For how many days?
        <input data-testid="share-days" type="number" min={1} max={365} className={field} value={days} onChange={(e) => setDays(Math.min(365, Math.max(1, Number(e.target.value) || 1)))} />
      </label>
      <button type="submit" data-testid="share-review" disabled={!person} className="min-h-11 rounded-lg bg-[var(--hc-accent)] px-4 font-medium text-white focus-visible:outline-2 disabled:opacity-50">Review what will be shared</button>
    </form>
  );
}

'use client';
import { useState } from 'react';
import type { CarePerson } from '@/lib/fhir/compose/care-team';
import { PersonPicker } from '../people/person-picker';
import { useCarePeople } from '../people/use-care-people';
import { ConfirmChoice } from './confirm-choice';
import { personInSentence, practitionerIdOf } from './person-words';

/**
 * The exact words a patient confirms before keeping their record from one person; stored with the
 * consent. Says what it does not stop: emergency access, which the patient then sees in their history.
 */
export function restrictPreview(who: string): string {
  return `You are keeping your whole record from ${who}. Through Housecall they will not see anything in it, whatever else you share, until you lift this in your sharing centre. In an emergency, a clinician allowed to use emergency access can still open it, and you will see that in your access history.`;
}

/** Restricting by name: pick the person, read what it means, confirm. As plain as sharing. */
export function RestrictForm({ launchId, patientId }: { launchId: string; patientId: string }) {
  const care = useCarePeople(launchId, patientId);
  const [person, setPerson] = useState<CarePerson | null>(null);
  const [preview, setPreview] = useState<string | null>(null);

  if (preview && person) {
    return <ConfirmChoice launchId={launchId} testId="restrict" preview={preview} body={{ kind: 'restrict-practitioner', practitionerId: practitionerIdOf(person) }} confirmLabel="Confirm and keep it from them" onChange={() => setPreview(null)} />;
  }
  return (
    <form className="space-y-3" onSubmit={(e) => { e.preventDefault(); if (person) setPreview(restrictPreview(personInSentence(person))); }}>
      <PersonPicker legend="Who should not see your record?" people={care.data} isLoading={care.isLoading} outcome={care.outcome} value={person?.reference ?? null} onChange={setPerson} />
      <button type="submit" data-testid="restrict-review" disabled={!person} className="min-h-11 rounded-lg bg-[var(--hc-accent)] px-4 font-medium text-white focus-visible:outline-2 disabled:opacity-50">Review what this means</button>
    </form>
  );
}

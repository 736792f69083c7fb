'use client';
import type { Consent } from '@medplum/fhirtypes';
import { useMemo } from 'react';
import type { DecisionPolicy } from '@/lib/consent/types';
import { allowedRecipients } from '@/lib/consent/recipients';
import { PersonPicker } from '@/components/people/person-picker';
import { useCarePeople } from '@/components/people/use-care-people';

/**
 * Who a new message is for: the people who care for the patient (components/people), less those
 * the patient's consents keep from their record, who are not offered at all (the proxy would
 * refuse the message: `recipient-not-allowed`). Says how many were left out, never who.
 */
export function RecipientChooser({ launchId, patientId, consent, value, onChange }: { launchId: string; patientId: string; consent: { consents: Consent[]; policy: DecisionPolicy }; value: string | null; onChange: (person: { reference: string; name: string }) => void }) {
  const people = useCarePeople(launchId, patientId);
  const offered = useMemo(() => {
    if (!people.data) return people.data;
    const allowed = allowedRecipients({ patientId, consents: consent.consents, now: new Date(), policy: consent.policy }, people.data.map((p) => p.reference));
    return people.data.filter((p) => allowed.has(p.reference));
  }, [people.data, consent, patientId]);
  const withheld = (people.data?.length ?? 0) - (offered?.length ?? 0);
  return (
    <>
      <PersonPicker legend="Who is this message for?" people={offered} isLoading={people.isLoading} outcome={people.outcome} value={value} onChange={(p) => onChange({ reference: p.reference, name: p.name })} />
      {withheld > 0 ? <p className="text-sm text-gray-700" data-testid="compose-withheld">{withheld === 1 ? 'One person' : `${withheld} people`} on your care team cannot be sent messages because of your sharing choices.</p> : null}
    </>
  );
}

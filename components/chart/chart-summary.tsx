'use client';
import { useEffect, useState } from 'react';
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { latestPoint, toAllergyList, toMedicationList, toPatientHeader, toProblemList, toResultSeries, type ListItemView } from '@/lib/fhir';
import { useFhir } from '@/components/fhir/use-fhir';
import { PatientBanner } from './patient-banner';
import { SectionCard } from './section-card';

/** The searches behind the summary; all start together, one wave, no request waits for another. */
export const SUMMARY_REQUESTS = {
  allergies: 'AllergyIntolerance?_count=100',
  problems: 'Condition?_count=100',
  medications: 'MedicationRequest?status=active&_include=MedicationRequest:medication&_count=100',
  vitals: 'Observation?category=vital-signs&_sort=-date&_count=100',
} as const;

export function ChartSummary(props: { launchId: string; patientId: string; source: string; showBanner: boolean; audience: 'clinician' | 'patient' }) {
  const { launchId, patientId, source, showBanner, audience } = props;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);

  const patient = useFhir<Patient>(launchId, `Patient/${encodeURIComponent(patientId)}`);
  const allergies = useFhir<Bundle>(launchId, SUMMARY_REQUESTS.allergies);
  const problems = useFhir<Bundle>(launchId, SUMMARY_REQUESTS.problems);
  const meds = useFhir<Bundle>(launchId, SUMMARY_REQUESTS.medications);
  const vitals = useFhir<Bundle>(launchId, SUMMARY_REQUESTS.vitals);

  const ctx = (fetchedAt: string | undefined) => ({ source, fetchedAt: fetchedAt ?? new Date(now).toISOString() });
  const allergyItems = allergies.data ? toAllergyList(allergies.data, ctx(allergies.fetchedAt)) : undefined;
  const header = patient.data ? toPatientHeader(patient.data, ctx(patient.fetchedAt), new Date(now)) : undefined;

  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-3 p-3" data-testid="chart-summary">
      {showBanner && header ? <PatientBanner header={header} allergyCount={allergyItems?.length} /> : null}
      {!showBanner && header ? <p className="sr-only" data-testid="patient-name">{header.name}</p> : null}
      {patient.outcome ? <p className="rounded-lg bg-red-50 p-3 text-red-900" data-testid="patient-outcome">The patient record could not be loaded.</p> : null}
      {audience === 'patient' && header ? <h2 className="text-lg font-semibold">Your health summary</h2> : null}
      <SectionCard id="allergies" title="Allergies" items={allergyItems} isLoading={allergies.isLoading} outcome={allergies.outcome} fetchedAt={allergies.fetchedAt} empty="No known allergies recorded." now={now} />
      <SectionCard id="problems" title={audience === 'patient' ? 'Conditions' : 'Active problems'} items={problems.data ? toProblemList(problems.data, ctx(problems.fetchedAt)) : undefined} isLoading={problems.isLoading} outcome={problems.outcome} fetchedAt={problems.fetchedAt} empty="No active problems recorded." now={now} />
      <SectionCard id="medications" title="Medications" items={meds.data ? toMedicationList(meds.data, ctx(meds.fetchedAt)) : undefined} isLoading={meds.isLoading} outcome={meds.outcome} fetchedAt={meds.fetchedAt} empty="No active medications recorded." now={now} />
      <SectionCard id="vitals" title="Latest vital signs" items={vitals.data ? toResultSeries(vitals.data, ctx(vitals.fetchedAt)).flatMap((s): ListItemView[] => { const p = latestPoint(s); return p ? [{ key: p.key, title: s.title, detail: p.text, state: p.state, provenance: p.provenance }] : []; }) : undefined} isLoading={vitals.isLoading} outcome={vitals.outcome} fetchedAt={vitals.fetchedAt} empty="No vital signs recorded." now={now} />
    </div>
  );
}

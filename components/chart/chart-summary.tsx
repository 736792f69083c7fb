'use client';
import { useEffect, useMemo } from 'react';
import { useHydrated } from '@/components/ui/use-hydrated';
import { SUMMARY_INTERACTIVE_MARK } from '@/lib/perf-marks';
import { toAllergyList, toPatientHeader, toProblemList } from '@/lib/fhir/compose/summary';
import { toMedicationList } from '@/lib/fhir/compose/medications';
import { toResultSeries } from '@/lib/fhir/compose/observations';
import { useChartSummary, useRequestStats } from '@/components/fhir/use-chart-summary';
import { useServerAnswerCount } from '@/components/fhir/server-answers';
import { useNow } from '@/components/ui/use-now';
import { hiddenByConsent } from '@/lib/consent/hidden';
import type { ConsentHiddenNotice } from '@/components/consent/consent-hidden-notice';
import type { ClinicianAttention } from './clinician-attention';
import type { MoreSections } from './more-sections';
import { chartPath } from './chart-paths';
import { PatientBanner } from './patient-banner';
import { SectionCard } from './section-card';
import { sectionItems, sectionStatus } from './section-data';
import { useRecordVisit } from './use-record-visit';
import { VitalsCard } from './vitals-card';
import { outcomeText } from '@/components/ui/outcome-message';

/** What only the clinician's summary shows, handed in by clinician-summary.tsx so the portal's summary never loads it. */
export interface ClinicianParts {
  Attention: typeof ClinicianAttention;
  HiddenNotice: React.ComponentType<React.ComponentProps<typeof ConsentHiddenNotice>>;
  More: typeof MoreSections;
}

export interface ChartSummaryProps {
  launchId: string;
  patientId: string;
  source: string;
  showBanner: boolean;
  audience: 'clinician' | 'patient';
  lastOpenedAt?: string | null;
  /** The clinician's parts (clinician-summary.tsx); without them the summary shows none. */
  parts?: ClinicianParts;
}

/**
 * The first screen: who (banner, unless the EHR shows its own), what needs attention, then
 * problems, medications, allergies and vital signs. Loaded as a document, the page comes with
 * their answers (server-answers.tsx); otherwise they come from one wave of requests. How many
 * answers came with the page, and the browser's own requests and round trips, are exposed as
 * data attributes.
 */
export function ChartSummary(props: ChartSummaryProps) {
  const { launchId, patientId, source, showBanner, audience, lastOpenedAt = null, parts } = props;
  const clinician = audience === 'clinician';
  const now = useNow();
  const d = useChartSummary(launchId, patientId);
  const stats = useRequestStats();
  const serverAnswers = useServerAnswerCount();
  // The page arrives with its data, so it is on screen before its scripts run (its links and sign-out work
  // without them, e2e/before-scripts.spec.ts): `data-hydrated` says when they have run.
  const hydrated = useHydrated();
  // The same moment as a User Timing mark, for anything measuring it (bench/phone.ts).
  useEffect(() => { performance.mark?.(SUMMARY_INTERACTIVE_MARK); }, []);
  const ctx = (fetchedAt: string | undefined) => ({ source, fetchedAt: fetchedAt ?? new Date(now).toISOString() });

  const header = d.patient.data ? toPatientHeader(d.patient.data, ctx(d.patient.fetchedAt), new Date(now)) : undefined;
  const allergyParts = [{ state: d.allergies, build: toAllergyList }];
  const allergies = sectionItems(allergyParts, source);
  const problemParts = [{ state: d.problems, build: toProblemList }];
  const medParts = [
    { label: 'Prescriptions', state: d.medicationRequests, build: toMedicationList },
    { label: 'Patient-reported medications', state: d.medicationStatements, build: toMedicationList },
  ];
  const vitals = useMemo(() => (d.vitals.data ? toResultSeries(d.vitals.data, { source, fetchedAt: d.vitals.fetchedAt! }) : undefined), [d.vitals.data, d.vitals.fetchedAt, source]);
  const resultParts = [{ label: 'Laboratory results', state: d.labs }, { label: 'Vital signs', state: d.vitals }];
  const settled = !Object.values(d).some((r) => r.isLoading);
  const hidden = Object.values(d).map((r) => hiddenByConsent(r.data));
  const visit = useRecordVisit(launchId, clinician && settled && !d.patient.outcome);
  if (Object.values(d).some((r) => r.outcome === 'launch-ended')) {
    return (
      <main className="mx-auto max-w-xl p-6" data-testid="session-ended" role="alert">
        <h1 className="text-xl font-semibold">Your session ended</h1>
        <p className="mt-3">Relaunch Housecall from your EHR or portal. Nothing you were looking at was changed.</p>
      </main>
    );
  }

  return (
    <div className={`mx-auto flex w-full max-w-5xl flex-col gap-3 md:grid md:grid-cols-2 md:items-start ${clinician ? '' : 'p-3'}`} data-testid="chart-summary" data-hydrated={hydrated ? 'yes' : 'no'} data-fhir-server={serverAnswers} data-fhir-requests={stats.requests} data-fhir-round-trips={stats.roundTrips} data-fhir-pending={stats.pending} data-visit={visit}>
      {/* A list the EHR cut short gives no count: "No known allergies" must not rest on it. */}
      {showBanner && header ? <PatientBanner header={header} allergyCount={sectionStatus(allergyParts).partial ? undefined : allergies?.length} /> : null}
      {!showBanner && header ? <h1 className="sr-only">Chart of <span data-testid="patient-name">{header.name}</span></h1> : null}
      {d.patient.outcome ? <p className="rounded-lg bg-red-50 p-3 text-red-900 md:col-span-2" data-testid="patient-outcome" data-outcome={d.patient.outcome}>{clinician ? 'The patient’s details' : 'Your details'}: {outcomeText(d.patient.outcome)}</p> : null}
      {audience === 'patient' && header ? <h2 className="text-lg font-semibold md:col-span-2">Your health summary</h2> : null}
      {parts && clinician && hidden.some((h) => h.hidden) ? <parts.HiddenNotice launchId={launchId} why={[...new Set(hidden.flatMap((h) => h.why))].sort()} /> : null}
      {parts && clinician ? <div className="md:col-span-2"><parts.Attention launchId={launchId} labs={d.labs} vitals={d.vitals} vitalSeries={vitals} source={source} lastOpenedAt={lastOpenedAt} status={sectionStatus(resultParts)} now={now} /></div> : null}
      <SectionCard id="problems" title={clinician ? 'Active problems' : 'Conditions'} {...(clinician ? { href: chartPath(launchId, 'problems') } : {})} items={sectionItems(problemParts, source)} status={sectionStatus(problemParts)} empty="No active problems recorded." now={now} sourcesCollapsed={!clinician} />
      <SectionCard id="medications" title="Medications" {...(clinician ? { href: chartPath(launchId, 'medications') } : {})} items={sectionItems(medParts, source)} status={sectionStatus(medParts)} empty="No active medications recorded." now={now} sourcesCollapsed={!clinician} />
      <SectionCard id="allergies" title="Allergies" {...(clinician ? { href: chartPath(launchId, 'allergies') } : {})} items={allergies} status={sectionStatus(allergyParts)} empty="No known allergies recorded." now={now} sourcesCollapsed={!clinician} />
      <VitalsCard launchId={launchId} series={vitals} status={sectionStatus([{ state: d.vitals }])} now={now} linked={clinician} sourcesCollapsed={!clinician} />
      {parts && clinician ? <parts.More launchId={launchId} /> : null}
    </div>
  );
}

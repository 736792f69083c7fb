import { outcomeText } from '@/components/ui/outcome-message';
import { chartPath } from './chart-paths';
import { PatientBanner } from './patient-banner';
import { SectionCard } from './section-card';
import type { SummaryView } from './summary-view';
import { VitalsCard } from './vitals-card';

export interface SummaryBodyProps {
  launchId: string;
  view: SummaryView;
  audience: 'clinician' | 'patient';
  showBanner: boolean;
  /** The view's clock; the server's render has none, and each age then keeps its own. */
  now?: number | undefined;
  /** What only the clinician's summary shows, drawn by its caller so the portal never loads it. */
  hiddenNotice?: (why: string[]) => React.ReactNode;
  attention?: React.ReactNode;
  more?: React.ReactNode;
}

/**
 * The summary's first screen, drawn from its composed view (summary-view.ts): who (banner,
 * unless the EHR shows its own), what needs attention, then problems, medications, allergies
 * and vital signs. No hooks and no client code of its own: the server renders it for a page
 * loaded as a document, and the browser's live view (summary-live.tsx) renders the same.
 */
export function SummaryBody({ launchId, view, audience, showBanner, now, hiddenNotice, attention, more }: SummaryBodyProps) {
  const clinician = audience === 'clinician';
  const { header } = view;
  const card = { now, sourcesCollapsed: !clinician };
  return (
    <>
      {showBanner && header ? <PatientBanner header={header} allergyCount={view.allergyCount} /> : null}
      {!showBanner && header ? <h1 className="sr-only">Chart of <span data-testid="patient-name">{header.name}</span></h1> : null}
      {view.patientOutcome ? <p className="rounded-lg bg-red-50 p-3 text-red-900 md:col-span-2" data-testid="patient-outcome" data-outcome={view.patientOutcome}>{clinician ? 'The patient’s details' : 'Your details'}: {outcomeText(view.patientOutcome)}</p> : null}
      {!clinician && header ? <h2 className="text-lg font-semibold md:col-span-2">Your health summary</h2> : null}
      {clinician && view.hiddenWhy && hiddenNotice ? hiddenNotice(view.hiddenWhy) : null}
      {clinician && attention ? <div className="md:col-span-2">{attention}</div> : null}
      <SectionCard id="problems" title={clinician ? 'Active problems' : 'Conditions'} {...(clinician ? { href: chartPath(launchId, 'problems') } : {})} items={view.problems.items} status={view.problems.status} empty="No active problems recorded." {...card} />
      <SectionCard id="medications" title="Medications" {...(clinician ? { href: chartPath(launchId, 'medications') } : {})} items={view.medications.items} status={view.medications.status} empty="No active medications recorded." {...card} />
      <SectionCard id="allergies" title="Allergies" {...(clinician ? { href: chartPath(launchId, 'allergies') } : {})} items={view.allergies.items} status={view.allergies.status} empty="No known allergies recorded." {...card} />
      <VitalsCard launchId={launchId} series={view.vitals.series} status={view.vitals.status} linked={clinician} {...card} />
      {clinician ? more : null}
    </>
  );
}

import { ShareForm, type ShareSection } from '@/components/consent/share-form';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

/** What each "Share" action on the portal summary offers; the URL names the section. */
const SECTIONS: Record<string, ShareSection> = {
  allergies: { key: 'allergies', label: 'allergies', resourceTypes: ['AllergyIntolerance'] },
  results: { key: 'results', label: 'test results', resourceTypes: ['Observation', 'DiagnosticReport'] },
  medications: { key: 'medications', label: 'medicines', resourceTypes: ['MedicationRequest', 'MedicationStatement'] },
  summary: { key: 'summary', label: 'summary (allergies, conditions, medicines and results)', resourceTypes: ['Patient', 'AllergyIntolerance', 'Condition', 'MedicationRequest', 'Observation'] },
};

export default async function SharePage({ params, searchParams }: { params: Promise<{ launchId: string }>; searchParams: Promise<{ section?: string }> }) {
  const { launchId } = await params;
  const section = SECTIONS[(await searchParams).section ?? 'summary'];
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  if (!section) return <LaunchProblem reason="not-found" />;
  return (
    <main className="mx-auto max-w-3xl space-y-3 p-3" data-testid="share-page">
      <p><a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal`}>Back to your summary</a></p>
      <h1 className="text-xl font-semibold">Share your {section.label}</h1>
      <ShareForm launchId={launchId} patientId={access.launch.patientId} section={section} />
      <p><a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/restrict`} data-testid="restrict-link">Keep your record from someone instead</a></p>
    </main>
  );
}

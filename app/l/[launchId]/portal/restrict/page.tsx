import { RestrictForm } from '@/components/consent/restrict-form';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

/** Keeping the record from one person, chosen by name: the counterpart of sharing, offered as plainly. */
export default async function RestrictPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  return (
    <main className="mx-auto max-w-3xl space-y-3 p-3" data-testid="restrict-page">
      <p><a className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/sharing`}>Back to your sharing centre</a></p>
      <h1 className="text-xl font-semibold">Keep your record from someone</h1>
      <RestrictForm launchId={launchId} patientId={access.launch.patientId} />
    </main>
  );
}

import { AppLink } from '@/components/ui/app-link';
import { ConflictReview } from '@/components/sync/conflict-review';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

/** Changes that met a different change at the clinic: the patient chooses which to keep. */
export default async function ReviewPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  return (
    <main className="mx-auto max-w-3xl p-3" data-testid="review-page">
      <p><AppLink className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/contact`}>Back to your contact details</AppLink></p>
      <h1 className="text-xl font-semibold">Changes to review</h1>
      <ConflictReview launchId={launchId} />
    </main>
  );
}

import { ChartShell } from '@/components/chart/chart-shell';
import { DetailHeader } from '@/components/chart/detail-header';
import { NoteEditor } from '@/components/chart/note-editor';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

/** Write note: a draft that survives interruptions; sending it arrives with the sync engine. */
export default async function NotePage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access, source } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  const { patientId, encounterId, fhirUser } = access.launch;
  return (
    <ChartShell launchId={launchId} source={source} view="note" current="note">
      <DetailHeader launchId={launchId} title="Write note" />
      <NoteEditor launchId={launchId} context={{ patientId: patientId ?? '', encounterId, author: fhirUser }} />
    </ChartShell>
  );
}

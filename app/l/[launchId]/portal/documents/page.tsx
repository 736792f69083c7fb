import { LaunchProblem } from '@/components/ui/launch-problem';
import { DocumentList } from '@/components/visits/document-list';
import { VisitShell } from '@/components/visits/visit-shell';
import { loadVisitPage } from '../visit-access';

export const dynamic = 'force-dynamic';

/** The patient's documents, newest first. */
export default async function DocumentsPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const page = await loadVisitPage(launchId);
  if (!page.ok) return <LaunchProblem reason={page.reason} />;
  return (
    <VisitShell launchId={launchId} source={page.source} title="Your documents" testId="documents-page">
      <DocumentList launchId={launchId} source={page.source} nameTypes={page.nameTypes} />
    </VisitShell>
  );
}

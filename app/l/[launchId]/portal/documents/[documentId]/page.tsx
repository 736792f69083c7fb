import { notFound } from 'next/navigation';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { DocumentViewer } from '@/components/visits/document-viewer';
import { VisitShell } from '@/components/visits/visit-shell';
import { loadVisitPage } from '../../visit-access';

export const dynamic = 'force-dynamic';

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** One document, its file shown in the page through the proxy (never cached or stored). */
export default async function DocumentPage({ params }: { params: Promise<{ launchId: string; documentId: string }> }) {
  const { launchId, documentId } = await params;
  if (!FHIR_ID.test(documentId)) notFound();
  const page = await loadVisitPage(launchId);
  if (!page.ok) return <LaunchProblem reason={page.reason} />;
  return (
    <VisitShell launchId={launchId} source={page.source} title="Document" testId="document-page">
      <p><a className="inline-flex min-h-11 items-center text-[var(--hc-accent,#1d4ed8)] underline" href={`/l/${launchId}/portal/documents`}>All documents</a></p>
      <DocumentViewer launchId={launchId} documentId={documentId} source={page.source} nameTypes={page.nameTypes} />
    </VisitShell>
  );
}

'use client';
import { useFhir } from '@/components/fhir/use-fhir';
import { laterChunk, lazyView } from '@/components/ui/later-chunk';
import { documentRequest } from '@/lib/fhir/compose/search-paths';

/**
 * The document's view and what composes it (document-viewer-view.tsx), as a chunk of its own:
 * the document is fetched in the browser, so its code arrives while that request is on its way.
 */
export const documentViewerCode = laterChunk(() => import('./document-viewer-view'));

const Viewer = lazyView(documentViewerCode, (m) => m.DocumentViewer, <p role="status">Loading…</p>);

/** One document: asked for at once, the view's own request joining this one. */
export function DocumentViewer(props: { launchId: string; documentId: string; source: string; nameTypes: readonly string[] }) {
  useFhir(props.launchId, documentRequest(props.documentId));
  return <Viewer {...props} />;
}

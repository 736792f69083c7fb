'use client';
import { useEffect, useMemo, useState } from 'react';
import type { DocumentReference } from '@medplum/fhirtypes';
import { toDocumentView, type DocumentView } from '@/lib/fhir/compose/documents';
import { useFhir } from '@/components/fhir/use-fhir';
import { useNames } from '@/components/fhir/use-names';
import { OutcomeMessage, outcomeText } from '@/components/ui/outcome-message';
import { loadContent, type LoadedContent } from './document-content';
import { plainDate } from './plain-date';
import { saveFile } from './save-file';
import { documentRequest } from '@/lib/fhir/compose/search-paths';

const PROBLEM_TEXT: Record<Extract<LoadedContent, { state: 'problem' }>['why'], string> = {
  missing: 'The file of this document could not be found at your clinic. Ask your clinic to send it again.',
  'no-content': 'This document has no file attached. Ask your clinic for a copy.',
  'external-url': 'This document’s file is kept on another system Housecall cannot open. Ask your clinic for a copy.',
  'type-mismatch': 'This file is not the kind of file it says it is, so Housecall will not open it. Ask your clinic for a copy.',
  empty: 'This document’s file is empty. Ask your clinic for a copy.',
  unreadable: 'The file of this document could not be read just now. Try again later.',
};

function Content({ doc, content }: { doc: DocumentView; content: LoadedContent }) {
  const blob = content.state === 'shown' && content.kind !== 'text' ? content.blob : undefined;
  const url = useMemo(() => (blob ? URL.createObjectURL(blob) : undefined), [blob]);
  useEffect(() => () => { if (url) URL.revokeObjectURL(url); }, [url]);
  if (content.state === 'problem') {
    return <p role="alert" className="mt-3 rounded bg-amber-50 p-3 text-amber-900" data-testid="document-problem" data-why={content.why}>{PROBLEM_TEXT[content.why]}{content.outcome ? ` (${outcomeText(content.outcome)})` : ''}</p>;
  }
  if (content.state === 'download') {
    return (
      <div className="mt-3 rounded bg-gray-50 p-3" data-testid="document-download-only">
        <p>This kind of file{content.type ? ` (${content.type})` : ''} cannot be shown here. You can download it and open it with an app on your device.</p>
        <button type="button" className="mt-2 inline-flex min-h-11 items-center rounded border border-[var(--hc-accent,#1d4ed8)] px-3 text-[var(--hc-accent,#1d4ed8)]" onClick={() => saveFile(content.blob, doc.fileName)} data-testid="document-download">
          Download {doc.fileName}
        </button>
      </div>
    );
  }
  if (content.kind === 'text') return <pre className="mt-3 rounded bg-gray-50 p-3 text-sm whitespace-pre-wrap" data-testid="document-text">{content.text}</pre>;
  return (
    <div className="mt-3" data-testid="document-content" data-type={content.type}>
      {content.kind === 'pdf' && url ? <iframe src={url} title={doc.title} className="h-[70vh] w-full rounded border border-gray-200" data-testid="document-pdf" /> : null}
      {content.kind === 'image' && url ? <img src={url} alt={doc.title} className="max-w-full rounded border border-gray-200" data-testid="document-image" /> : null}
      <button type="button" className="mt-2 inline-flex min-h-11 items-center rounded border border-[var(--hc-accent,#1d4ed8)] px-3 text-[var(--hc-accent,#1d4ed8)]" onClick={() => saveFile(content.blob, doc.fileName)} data-testid="document-download">
        Download
      </button>
    </div>
  );
}

/** One document: what it is, and its file shown in the page (PDF, image, text) or offered as a download. */
export function DocumentViewer({ launchId, documentId, source, nameTypes }: { launchId: string; documentId: string; source: string; nameTypes: readonly string[] }) {
  const ref = useFhir<DocumentReference>(launchId, documentRequest(documentId));
  const names = useNames(launchId, nameTypes, [ref.data ? { resourceType: 'Bundle', type: 'collection', entry: [{ resource: ref.data }] } : undefined]);
  const doc = ref.data?.resourceType === 'DocumentReference' ? toDocumentView(ref.data, 0, { source, fetchedAt: ref.fetchedAt ?? '', names }) : undefined;
  const [content, setContent] = useState<LoadedContent | undefined>();
  const docKey = doc ? JSON.stringify(doc.source) : undefined;
  useEffect(() => {
    if (!doc) return;
    let live = true;
    setContent(undefined);
    void loadContent(launchId, doc).then((c) => { if (live) setContent(c); });
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [launchId, docKey]);
  return (
    <div data-testid="document-viewer">
      {ref.isLoading ? <p role="status">Loading…</p> : null}
      {ref.outcome ? <OutcomeMessage outcome={ref.outcome === 'not-found' ? 'outside-compartment' : ref.outcome} /> : null}
      {doc ? (
        <>
          <h2 className="text-lg font-semibold" data-testid="document-title">{doc.title}</h2>
          <p className="text-sm text-gray-800">{[doc.type, doc.date ? plainDate(doc.date) : undefined, doc.author ? `by ${doc.author}` : undefined, doc.statusWords].filter(Boolean).join(' · ')}</p>
          {content ? <Content doc={doc} content={content} /> : <p role="status">Opening the file…</p>}
        </>
      ) : null}
    </div>
  );
}

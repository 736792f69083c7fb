'use client';
import type { Bundle } from '@medplum/fhirtypes';
import { toDocumentViews } from '@/lib/fhir/compose/documents';
import { useFhir } from '@/components/fhir/use-fhir';
import { useNames } from '@/components/fhir/use-names';
import { Freshness } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { useNow } from '@/components/ui/use-now';
import { plainDate } from './plain-date';

/** The patient's documents, newest first: what, when, by whom; each opens on its own page. */
export function DocumentList({ launchId, source, nameTypes }: { launchId: string; source: string; nameTypes: readonly string[] }) {
  const now = useNow();
  const docs = useFhir<Bundle>(launchId, 'DocumentReference?_count=100');
  const names = useNames(launchId, nameTypes, [docs.data]);
  const views = docs.data ? toDocumentViews(docs.data, { source, fetchedAt: docs.fetchedAt ?? '', names }) : undefined;
  return (
    <div data-testid="documents">
      <Freshness fetchedAt={docs.fetchedAt} now={now} offline={docs.fromCache} />
      {docs.isLoading ? <p role="status">Loading…</p> : null}
      {docs.outcome ? <OutcomeMessage outcome={docs.outcome} /> : null}
      {views && views.length === 0 ? <p className="mt-3 text-gray-700">You have no documents on record.</p> : null}
      {views && views.length ? (
        <ul className="mt-3 divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3">
          {views.map((d) => (
            <li key={d.key} className="py-2" data-testid="document" data-kind={d.kind}>
              <a className="flex min-h-11 flex-col justify-center text-[var(--hc-accent,#1d4ed8)] underline" href={`/l/${launchId}/portal/documents/${encodeURIComponent(d.id)}`} data-testid="document-open">
                {d.title}
              </a>
              <p className="text-sm text-gray-800">
                {[d.type, d.date ? plainDate(d.date) : undefined, d.author ? `by ${d.author}` : undefined, d.statusWords].filter(Boolean).join(' · ')}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

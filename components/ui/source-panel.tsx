import type { Provenance } from '@/lib/fhir/compose/provenance';
import { relativeAge, shortVersion, sourceSummary } from './ages';
import { onServerClock } from './server-clock';

/** Where a value came from, in full: source system, the value as sent (when shown otherwise), record, version, last update, fetch time. */
export function SourcePanel({ p, now, heading = 'Source', sent }: { p: Provenance; now: number; heading?: string; sent?: string | undefined }) {
  return (
    <section className="rounded-[var(--hc-radius,0.5rem)] border border-gray-200 bg-gray-50 p-3 text-sm" data-testid="source-panel" aria-label={heading}>
      <h2 className="text-base font-semibold">{heading}</h2>
      <p className="mt-1" data-testid="source-summary">{sourceSummary(p, now)}</p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-gray-700">
        <dt>System</dt>
        <dd>{p.source}</dd>
        {sent ? (
          <>
            <dt>As sent</dt>
            <dd className="break-all" data-testid="source-value">{sent}</dd>
          </>
        ) : null}
        <dt>Record</dt>
        <dd className="break-all">{p.resourceType}/{p.id}</dd>
        <dt>Version</dt>
        <dd className="break-all" title={p.versionId ?? undefined}>{p.versionId ? shortVersion(p.versionId) : 'not given by the source'}</dd>
        <dt>Updated</dt>
        <dd>{p.lastUpdated ? <time dateTime={p.lastUpdated}>{relativeAge(p.lastUpdated, onServerClock(now))} ({p.lastUpdated.slice(0, 16).replace('T', ' ')})</time> : 'not given by the source'}</dd>
        <dt>Fetched</dt>
        <dd><time dateTime={p.fetchedAt}>{relativeAge(p.fetchedAt, now)}</time> by Housecall</dd>
      </dl>
    </section>
  );
}

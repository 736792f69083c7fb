import type { CareTeamRow, Counted, SourceAge } from '@/lib/staff';

const SOURCE_LABEL: Record<SourceAge['source'], string> = {
  Observation: 'Results and vitals',
  Encounter: 'Visits',
  DocumentReference: 'Notes',
  Task: 'Tasks',
  Communication: 'Messages',
};

function ageText(days: number | null): string {
  if (days === null) return 'no dated data';
  if (days === 0) return 'today';
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

function sourceText(s: SourceAge): string {
  switch (s.state) {
    case 'ok': return `newest ${ageText(s.ageDays)}${s.stale ? ' (stale)' : ''}`;
    case 'none': return 'nothing on file';
    case 'withheld': return 'withheld by the patient\'s consent';
    case 'failed': return 'could not be loaded';
    case 'not-granted': return 'not available to this dashboard';
  }
}

function countText(c: Counted, one: string, many: string): string {
  if (c.state !== 'ok') return `${many}: ${c.state === 'withheld' ? 'withheld' : c.state === 'failed' ? 'could not be loaded' : 'not available'}`;
  const text = c.count === 1 ? `1 ${one}` : `${c.count} ${many.toLowerCase()}`;
  return c.partial ? `${text} (some withheld)` : text;
}

/** One patient of the care team: a card that stacks on a phone and sits in a grid on wider screens. */
export function CareTeamCard({ row, chartHref }: { row: CareTeamRow; chartHref: string }) {
  const name = row.name ?? (row.nameState === 'withheld' ? 'Name withheld by consent' : 'Name not available');
  const a = row.attention;
  const attention = [
    a.results.length ? `${a.results.length} result${a.results.length === 1 ? '' : 's'} out of range` : null,
    a.overdueTasks ? `${a.overdueTasks} overdue task${a.overdueTasks === 1 ? '' : 's'}` : null,
  ].filter(Boolean).join(', ');
  return (
    <li className="rounded-xl border border-gray-300 bg-white p-3" data-testid="care-team-row" data-stale={row.staleness.stale} data-attention={a.score}>
      <h2 className="text-base font-semibold" data-testid="care-team-name">{name}</h2>
      <ul className="mt-2 flex flex-wrap gap-2 text-sm">
        {attention ? <li className="rounded bg-red-50 px-2 py-1 text-red-900" data-testid="attention-flag">Needs attention: {attention}</li> : null}
        {row.staleness.stale ? (
          <li className="rounded bg-amber-50 px-2 py-1 text-amber-900" data-testid="stale-flag">Stale data: newest {ageText(row.staleness.ageDays)}</li>
        ) : null}
        {row.withheld.length ? (
          <li className="rounded bg-gray-100 px-2 py-1 text-gray-900" data-testid="withheld-flag">Withheld: {row.withheld.map((w) => SOURCE_LABEL[w]).join(', ')}</li>
        ) : null}
        {row.consentChanges.count ? (
          <li className="rounded bg-blue-50 px-2 py-1 text-blue-900" data-testid="consent-flag">
            Consent changed{row.consentChanges.revoked ? ` (${row.consentChanges.revoked} withdrawn)` : ''}
          </li>
        ) : null}
      </ul>
      <p className="mt-2 text-sm text-gray-800">
        {countText(row.unsignedNotes, 'unsigned note', 'Unsigned notes')} · {countText(row.unansweredMessages, 'unanswered message', 'Unanswered messages')}
      </p>
      {a.results.length ? (
        <ul className="mt-1 text-sm text-gray-800">
          {a.results.slice(0, 3).map((r) => <li key={`${r.label}-${r.date}`}>{r.label}: {r.text} ({r.flag})</li>)}
        </ul>
      ) : null}
      <details className="mt-2 text-sm">
        <summary className="flex min-h-11 cursor-pointer items-center text-gray-900">How fresh each source is</summary>
        <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          {row.staleness.sources.map((s) => (
            <div key={s.source} className="contents">
              <dt className="text-gray-700">{SOURCE_LABEL[s.source]}</dt>
              <dd data-testid={`source-${s.source}`} data-state={s.state}>{sourceText(s)}</dd>
            </div>
          ))}
        </dl>
      </details>
      <a className="mt-2 inline-flex min-h-11 items-center rounded-lg bg-[var(--hc-accent,#1d4ed8)] px-4 font-medium text-white" href={chartHref} rel="noreferrer" data-testid="open-chart">
        Open chart in the EHR
      </a>
    </li>
  );
}

import type { FindingView } from '@/lib/staff/launch-view';

export interface FailedGroup { code: string; count: number; issuers: string[]; references: string[] }
export interface RefusedGroup { issuerId: string; count: number; launchIds: string[] }

const RULES: Record<FindingView['rule'], string> = {
  'many-patients': 'one user opened many patients’ records',
  'repeated-denials': 'many refused requests in a few minutes',
  'refresh-failures': 'a burst of refused refreshes',
  'break-glass': 'emergency access was used',
};

/** Launches that failed in the last hour, by reason; each reference opens the search for it. */
export function FailedLaunches({ groups }: { groups: readonly FailedGroup[] }) {
  if (groups.length === 0) return <p className="mt-2 text-gray-700">No launch failed in the last hour.</p>;
  return (
    <ul className="mt-2 space-y-2" data-testid="staff-failed-launches">
      {groups.map((g) => (
        <li key={g.code} className="rounded-lg border border-gray-200 bg-white p-3" data-code={g.code}>
          <p><code>{g.code}</code>: {g.count} {g.count === 1 ? 'time' : 'times'} at {g.issuers.join(', ') || 'an unknown issuer'}</p>
          <p className="flex flex-wrap gap-2 text-sm">
            {g.references.map((ref) => <a key={ref} className="inline-flex min-h-11 items-center font-mono text-blue-700 underline" href={`/staff/support?q=${ref}`}>{ref}</a>)}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Issuers whose refreshes were refused in the last hour, with the launches that ended so. */
export function RefusedRefreshes({ groups }: { groups: readonly RefusedGroup[] }) {
  if (groups.length === 0) return <p className="mt-2 text-gray-700">No refresh was refused in the last hour.</p>;
  return (
    <ul className="mt-2 space-y-2" data-testid="staff-refused-refreshes">
      {groups.map((g) => (
        <li key={g.issuerId} className="rounded-lg border border-gray-200 bg-white p-3">
          <p>{g.issuerId}: {g.count} refused</p>
          <p className="flex flex-wrap gap-2 text-sm">
            {g.launchIds.map((id) => <a key={id} className="inline-flex min-h-11 items-center font-mono text-blue-700 underline" href={`/staff/support/launch/${id}`}>{id.slice(0, 10)}…</a>)}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Unusual-access findings; a user finding opens the launches of that (pseudonymous) user. */
export function Findings({ findings }: { findings: readonly FindingView[] }) {
  if (findings.length === 0) return <p className="mt-2 text-gray-700" data-testid="staff-findings-empty">No unusual access.</p>;
  return (
    <ul className="mt-2 space-y-2" data-testid="staff-findings">
      {findings.map((f, i) => (
        <li key={`${f.rule}-${f.issuerId}-${f.actorRef ?? i}`} className="rounded-lg border border-amber-300 bg-amber-50 p-3" data-rule={f.rule}>
          <p>{RULES[f.rule]} at {f.issuerId}: {f.count} in {f.windowMinutes} min</p>
          {f.actorRef ? <a className="inline-flex min-h-11 items-center font-mono text-blue-700 underline" href={`/staff/support?q=${f.actorRef}`}>launches of {f.actorRef}</a> : null}
        </li>
      ))}
    </ul>
  );
}

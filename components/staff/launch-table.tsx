import type { LaunchRowView } from '@/lib/staff/launch-view';
import { when } from './format';

/** Launches as a list of links to their pages: pseudonyms, issuer, times and how they ended. */
export function LaunchTable({ rows, empty }: { rows: readonly LaunchRowView[]; empty: string }) {
  if (rows.length === 0) return <p className="mt-2 text-gray-700" data-testid="staff-launches-empty">{empty}</p>;
  return (
    <ul className="mt-2 divide-y divide-gray-200 rounded-lg border border-gray-200 bg-white" data-testid="staff-launches">
      {rows.map((r) => (
        <li key={r.id} className="p-3">
          <a className="inline-flex min-h-11 items-center font-mono text-blue-700 underline" href={`/staff/support/launch/${r.id}`} data-testid="staff-launch-link" data-launch-id={r.id}>{r.id}</a>
          <p className="text-sm text-gray-700">
            {r.workflow} launch at {r.issuerId} · started {when(r.startedAt)} · {r.endedAt ? `ended ${when(r.endedAt)} (${r.endReason ?? 'no reason'})` : 'active'}
          </p>
          <p className="text-sm text-gray-600">user <code>{r.userRef ?? '—'}</code> · patient <code>{r.patientRef ?? '—'}</code></p>
        </li>
      ))}
    </ul>
  );
}

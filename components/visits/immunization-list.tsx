'use client';
import type { Bundle } from '@medplum/fhirtypes';
import { toImmunizationsDue, toImmunizationsGiven } from '@/lib/fhir/compose/immunizations';
import { useFhir } from '@/components/fhir/use-fhir';
import { Freshness } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { useNow } from '@/components/ui/use-now';
import { plainDate } from './plain-date';

/** What is due (only where the EHR says so), then the vaccines given, newest first. */
export function ImmunizationList({ launchId, source }: { launchId: string; source: string }) {
  const now = useNow();
  const given = useFhir<Bundle>(launchId, 'Immunization?_count=200');
  const due = useFhir<Bundle>(launchId, 'ImmunizationRecommendation?_count=50');
  const dueItems = due.data ? toImmunizationsDue(due.data, { source, fetchedAt: due.fetchedAt ?? '' }) : undefined;
  const givenItems = given.data ? toImmunizationsGiven(given.data, { source, fetchedAt: given.fetchedAt ?? '' }) : undefined;
  return (
    <div data-testid="immunizations">
      <Freshness fetchedAt={given.fetchedAt} now={now} offline={given.fromCache} />
      {given.isLoading || due.isLoading ? <p role="status">Loading…</p> : null}
      <section aria-labelledby="due-title" className="mt-3">
        <h2 id="due-title" className="text-lg font-semibold">Due</h2>
        {due.outcome ? <OutcomeMessage outcome={due.outcome} label="What is due" /> : null}
        {dueItems && dueItems.length ? (
          <ul className="divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3" data-testid="immunizations-due">
            {dueItems.map((d) => (
              <li key={d.key} className="py-3" data-testid="immunization-due" data-overdue={d.overdue}>
                <div className="flex items-start justify-between gap-2">
                  <span className="font-medium">{d.name}</span>
                  <span className={`shrink-0 rounded px-2 text-sm ${d.overdue ? 'bg-amber-100 text-amber-900' : 'bg-gray-100 text-gray-800'}`}>{d.statusWords}</span>
                </div>
                <p className="text-sm text-gray-800">
                  {d.dueDate ? <>{d.overdue ? 'Was due' : 'Due'} <time dateTime={d.dueDate}>{plainDate(d.dueDate)}</time></> : 'No date given'}
                  {d.dose ? ` · ${d.dose}` : ''}
                </p>
              </li>
            ))}
          </ul>
        ) : dueItems ? <p className="text-gray-700">Your clinic has not recorded any vaccine as due.</p> : null}
      </section>
      <section aria-labelledby="given-title" className="mt-4">
        <h2 id="given-title" className="text-lg font-semibold">Given</h2>
        {given.outcome ? <OutcomeMessage outcome={given.outcome} label="Vaccines given" /> : null}
        {givenItems && givenItems.length ? (
          <ul className="divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3" data-testid="immunizations-given">
            {givenItems.map((g) => (
              <li key={g.key} className="py-3" data-testid="immunization-given">
                <span className="font-medium">{g.name}</span>
                <p className="text-sm text-gray-800">{g.date ? <time dateTime={g.date}>{plainDate(g.date)}</time> : 'Date not given'}</p>
                {g.sourceName ? <p className="text-sm text-gray-700">Recorded as: {g.sourceName}</p> : null}
              </li>
            ))}
          </ul>
        ) : givenItems ? <p className="text-gray-700">No vaccines recorded.</p> : null}
      </section>
    </div>
  );
}

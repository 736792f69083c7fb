import type { Bundle } from '@medplum/fhirtypes';
import type { ComposeContext } from '@/lib/fhir/compose/items';
import { toResultSeries } from '@/lib/fhir/compose/observations';
import { groupResultsByDay, type ResultDay } from '@/lib/fhir/compose/results-explained';
import { dayWords } from './day-words';
import { ResultCard } from './explained-result';

/**
 * What the results page composes and draws of each result: a chunk of its own (portal-results.tsx),
 * loaded while the laboratory answer and the device's "last seen" arrive, which the page waits for
 * before it can say which results are new. Its first load carries none of it.
 */

/** The laboratory answer as days of explained results, newest first. */
export function resultDays(labs: Bundle, ctx: ComposeContext, since: string | null, now: number, timeZone: string): ResultDay[] {
  return groupResultsByDay(toResultSeries(labs, ctx, { includeInactive: true }), since, now, timeZone);
}

/** Each day under its heading in words, its results as cards. */
export function ResultDays({ launchId, days, now, timeZone }: { launchId: string; days: ResultDay[]; now: number; timeZone: string }) {
  return days.map((d) => (
    <section key={d.day} className="mt-3" aria-labelledby={`day-${d.day}`} data-testid="results-day" data-day={d.day}>
      <h2 id={`day-${d.day}`} className="text-lg font-semibold">{dayWords(d.day, now, timeZone)}</h2>
      <ul className="divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3">
        {d.results.map((r) => <ResultCard key={r.point.key} launchId={launchId} r={r} />)}
      </ul>
    </section>
  ));
}

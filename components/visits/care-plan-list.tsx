'use client';
import type { Bundle } from '@medplum/fhirtypes';
import { toCarePlanViews } from '@/lib/fhir/compose/care-plans';
import { useFhir } from '@/components/fhir/use-fhir';
import { Freshness } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { useNow } from '@/components/ui/use-now';
import { plainDate } from './plain-date';

function Badge({ words }: { words?: string | undefined }) {
  return words ? <span className="shrink-0 rounded bg-gray-100 px-2 text-sm text-gray-800">{words}</span> : null;
}

/** Each care plan with its goals and what to do, in plain words. */
export function CarePlanList({ launchId, source }: { launchId: string; source: string }) {
  const now = useNow();
  const plans = useFhir<Bundle>(launchId, 'CarePlan?_count=50');
  const goals = useFhir<Bundle>(launchId, 'Goal?_count=200');
  const views = plans.data ? toCarePlanViews(plans.data, goals.data, { source, fetchedAt: plans.fetchedAt ?? '' }) : undefined;
  return (
    <div data-testid="care-plans">
      <Freshness fetchedAt={plans.fetchedAt} now={now} offline={plans.fromCache} />
      {plans.isLoading ? <p role="status">Loading…</p> : null}
      {plans.outcome ? <OutcomeMessage outcome={plans.outcome} /> : null}
      {goals.outcome ? <OutcomeMessage outcome={goals.outcome} label="Goals" /> : null}
      {views && views.length === 0 ? <p className="mt-3 text-gray-700">You have no care plan on record.</p> : null}
      {views?.map((p) => (
        <section key={p.key} aria-label={p.title} className="mt-3 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white p-3" data-testid="care-plan">
          <div className="flex items-start justify-between gap-2">
            <h2 className="text-lg font-semibold">{p.title}</h2>
            <Badge words={p.statusWords} />
          </div>
          {p.description ? <p className="text-gray-800">{p.description}</p> : null}
          {p.since ? <p className="text-sm text-gray-700">Since <time dateTime={p.since}>{plainDate(p.since)}</time></p> : null}
          <h3 className="mt-2 font-semibold">Goals</h3>
          {p.goals.length ? (
            <ul className="divide-y divide-gray-100" data-testid="care-plan-goals">
              {p.goals.map((g) => (
                <li key={g.key} className="flex items-start justify-between gap-2 py-2" data-testid="care-plan-goal">
                  <span>{g.text}{g.due ? <span className="block text-sm text-gray-700">By <time dateTime={g.due}>{plainDate(g.due)}</time></span> : null}</span>
                  <Badge words={g.statusWords} />
                </li>
              ))}
            </ul>
          ) : <p className="text-sm text-gray-700">No goals set in this plan.</p>}
          <h3 className="mt-2 font-semibold">What to do</h3>
          {p.activities.length ? (
            <ul className="divide-y divide-gray-100" data-testid="care-plan-activities">
              {p.activities.map((a) => (
                <li key={a.key} className="flex items-start justify-between gap-2 py-2" data-testid="care-plan-activity">
                  <span>{a.text}{a.when ? <span className="block text-sm text-gray-700">{/^\d{4}-/.test(a.when) ? plainDate(a.when) : a.when}</span> : null}</span>
                  <Badge words={a.statusWords} />
                </li>
              ))}
            </ul>
          ) : <p className="text-sm text-gray-700">No activities in this plan.</p>}
        </section>
      ))}
    </div>
  );
}

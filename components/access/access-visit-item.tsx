import type { AccessVisit } from '@/lib/audit';
import { LocalTime } from './local-time';

const OUTCOME_WORDS = { allowed: '', refused: ' (refused)', failed: ' (did not complete)' } as const;

/** One visit: who, when (local time), what they looked at, flags, then each step in words. */
export function AccessVisitItem({ visit: v }: { visit: AccessVisit }) {
  const sameMinute = v.start.slice(0, 16) === v.end.slice(0, 16);
  return (
    <li className="space-y-1 p-3" data-testid="access-visit" data-self={v.self} data-emergency={v.emergency} data-refused={v.refused} data-withheld={v.withheld}>
      <p className="font-medium" data-testid="access-visit-summary">
        <span data-testid="access-visit-who">{v.who}</span>
        {v.looked ? <> looked at {v.looked}.</> : v.did.length ? <> {v.did[0]}.</> : null}
      </p>
      <p className="text-sm text-gray-700">
        <LocalTime iso={v.start} />
        {sameMinute ? null : <> to <LocalTime iso={v.end} withDate={false} /></>}
      </p>
      {v.emergency ? <p className="font-semibold text-red-800" data-testid="access-visit-emergency">Emergency access: they used emergency access to open your record.</p> : null}
      {v.refused > 0 ? <p className="text-amber-900" data-testid="access-visit-refused">Refused {v.refused === 1 ? 'once' : `${v.refused} times`}{v.withheld > 0 ? `, ${v.withheld === v.refused ? 'all' : v.withheld} because of your sharing choices` : ''}.</p> : null}
      {v.byChoices && v.withheld === 0 ? <p className="text-sm text-gray-700" data-testid="access-visit-choices">Your sharing choices decided what they could see.</p> : null}
      <ul className="text-sm text-gray-800" aria-label="What happened in this visit">
        {v.steps.map((s) => (
          <li key={`${s.words}-${s.outcome}-${s.breakGlass}-${s.when}`} data-testid="access-item" data-outcome={s.outcome} data-break-glass={s.breakGlass}>
            <LocalTime iso={s.when} withDate={false} /> · {v.self ? 'You' : 'They'} {s.words}{s.times > 1 ? `, ${s.times} times` : ''}{OUTCOME_WORDS[s.outcome]}
            {s.breakGlass ? <strong className="ml-1 text-red-800">Emergency access</strong> : null}
          </li>
        ))}
      </ul>
    </li>
  );
}

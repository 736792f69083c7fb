import type { Bundle, CarePlan, CodeableConcept, Goal } from '@medplum/fhirtypes';
import { arr, conceptText, dateMs, firstDate, obj, str } from './datatypes';
import { resourcesOf } from './entries';
import type { ComposeContext } from './items';
import { referenceKey, referenceName } from './people';
import { provenanceOf, type Provenance } from './provenance';
import { entryState } from './status';

/**
 * Care plans for the patient: each plan with its goals (the Goal resources CarePlan.goal
 * references) and its activities, all with their status in plain words. A goal the plan names
 * but that could not be read (not shared, deleted) is still counted, in words.
 */

export interface GoalView {
  key: string;
  text: string;
  statusWords?: string;
  /** The target's due date, when the goal has one. */
  due?: string;
}

export interface ActivityView {
  key: string;
  text: string;
  statusWords?: string;
  when?: string;
}

export interface CarePlanView {
  key: string;
  title: string;
  description?: string;
  statusWords: string;
  since?: string;
  goals: GoalView[];
  activities: ActivityView[];
  provenance: Provenance;
}

const PLAN_WORDS: Record<string, string> = {
  draft: 'Being prepared', active: 'Current', 'on-hold': 'On hold', revoked: 'Stopped', completed: 'Finished', unknown: 'Status not given',
};
const GOAL_WORDS: Record<string, string> = {
  proposed: 'Suggested', planned: 'Planned', accepted: 'Agreed', active: 'Working on it', 'on-hold': 'On hold', completed: 'Achieved', cancelled: 'Cancelled', rejected: 'Not pursued',
};
const ACTIVITY_WORDS: Record<string, string> = {
  'not-started': 'Not started', scheduled: 'Scheduled', 'in-progress': 'In progress', 'on-hold': 'On hold', completed: 'Done', cancelled: 'Cancelled', stopped: 'Stopped',
};

function goalView(goal: Goal, key: string): GoalView {
  const achievement = conceptText(goal.achievementStatus, '');
  const due = arr<{ dueDate?: string }>(goal.target).map((t) => t.dueDate).find(Boolean);
  const words = achievement || GOAL_WORDS[str(goal.lifecycleStatus) ?? ''];
  return { key, text: conceptText(goal.description, 'A goal (no description given)'), ...(words ? { statusWords: words } : {}), ...(due ? { due } : {}) };
}

function activityText(a: Record<string, unknown>): string {
  const detail = obj(a.detail);
  const description = str(detail?.description)?.trim();
  if (description) return description;
  const code = conceptText(detail?.code as CodeableConcept | undefined, '');
  if (code) return code;
  const ref = obj(a.reference);
  if (ref) {
    const type = referenceKey(ref)?.split('/')[0];
    const named = str(ref.display)?.trim();
    if (named) return named;
    return type === 'Appointment' ? 'An appointment' : (referenceName(ref) ?? 'An activity');
  }
  return conceptText(arr<CodeableConcept>(a.outcomeCodeableConcept)[0], 'An activity (no description given)');
}

/** Current plans first (newest first), then the others; entered-in-error plans are not shown. */
export function toCarePlanViews(plans: Bundle | undefined, goals: Bundle | undefined, ctx: ComposeContext): CarePlanView[] {
  const goalsById = new Map(resourcesOf<Goal>(goals, 'Goal').map((g) => [`Goal/${g.id}`, g]));
  return resourcesOf<CarePlan>(plans, 'CarePlan')
    .filter((c) => c.status !== 'entered-in-error' && entryState(c) !== 'entered-in-error')
    .map((c, n): CarePlanView => {
      const status = str(c.status) ?? 'unknown';
      const since = firstDate(c, ['period', 'created']);
      return {
        key: `CarePlan/${c.id ?? n}#${n}`,
        title: str(c.title)?.trim() || conceptText(arr<CodeableConcept>(c.category)[0], 'Care plan'),
        ...(str(c.description) ? { description: str(c.description) } : {}),
        statusWords: PLAN_WORDS[status] ?? 'Status not given',
        ...(since ? { since } : {}),
        goals: arr<unknown>(c.goal).map((ref, i) => {
          const key = referenceKey(ref);
          const goal = key ? goalsById.get(key) : undefined;
          return goal ? goalView(goal, `${key}#${i}`) : { key: `goal-${i}`, text: str(obj(ref)?.display) ?? 'A goal your care team set (details not available)' };
        }),
        activities: arr<Record<string, unknown>>(c.activity).filter((a) => obj(a)).map((a, i) => {
          const detail = obj(a.detail);
          const words = ACTIVITY_WORDS[str(detail?.status) ?? ''];
          const when = str(detail?.scheduledString) ?? firstDate(detail, ['scheduledPeriod', 'scheduledTiming']);
          return { key: `activity-${i}`, text: activityText(a), ...(words ? { statusWords: words } : {}), ...(when ? { when } : {}) };
        }),
        provenance: provenanceOf(c, ctx.source, ctx.fetchedAt),
      };
    })
    .sort((a, b) => Number(b.statusWords === 'Current') - Number(a.statusWords === 'Current') || dateMs(b.since) - dateMs(a.since));
}

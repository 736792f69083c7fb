/**
 * The care-team dashboard's rows, composed from what the EHR answered for each patient. Pure: no
 * I/O, the clock passed in. What consent withheld is said ("withheld"), what failed is said
 * ("could not load"), and a source with no data is "none": a row never pretends that a hidden or
 * missing source is an empty one.
 *
 * - Needs attention: the result series whose latest result is out of range (lib/fhir/compose
 *   needs-attention) and dated within `recentDays`, plus open Tasks past their due date.
 * - Stale data: per source, the age of its newest clinical date; a source is stale past
 *   `staleAfterDays`, and the patient is stale when no source they can be judged by has anything
 *   newer (dates in the future, planned or mistyped, never make data look fresh).
 * - Unsigned notes (preliminary DocumentReference) and unanswered messages (a Communication to
 *   the practitioner or from the patient that nothing answers with `inResponseTo`).
 * - Recent consent changes: the patient's consents kept by Housecall, changed within `recentDays`.
 */
import type { Bundle, Communication, Consent, DocumentReference, Encounter, Observation, Patient, Resource, Task } from '@medplum/fhirtypes';
import { dateMs, resourcesOf, toNeedsAttention, toPatientHeader, toResultSeries, type ComposeContext } from '../fhir/compose';

export const DASHBOARD_SOURCES = ['Observation', 'Encounter', 'DocumentReference', 'Task', 'Communication'] as const;
export type DashboardSource = (typeof DASHBOARD_SOURCES)[number];

/** What became of one source's request for one patient. `hidden`: entries consent removed from an answer. */
export type SourceAnswer =
  | { state: 'ok'; bundle: Bundle; hidden: number }
  | { state: 'withheld' }
  | { state: 'failed' }
  | { state: 'not-granted' };

export interface PatientAnswers {
  patientId: string;
  patient: { state: 'ok'; resource: Patient } | { state: 'withheld' | 'failed' | 'missing' };
  sources: Record<DashboardSource, SourceAnswer>;
  /** The patient's consents as Housecall keeps them. */
  consents: readonly Consent[];
}

export interface DashboardSettings {
  staleAfterDays: number;
  recentDays: number;
  /** The practitioner whose panel this is (`Practitioner/{id}`): messages to them count. */
  practitioner: string;
  now: Date;
  compose: ComposeContext;
}

/** A number, or why there is none. */
export type Counted = { state: 'ok'; count: number; partial: boolean } | { state: 'withheld' | 'failed' | 'not-granted' };

export interface SourceAge {
  source: DashboardSource;
  state: 'ok' | 'none' | 'withheld' | 'failed' | 'not-granted';
  newest: string | null;
  ageDays: number | null;
  stale: boolean;
}

export interface AttentionResult {
  label: string;
  text: string;
  flag: string;
  date: string | null;
}

export interface CareTeamRow {
  patientId: string;
  /** The patient's name, or null when withheld or not loaded (`nameState` says which). */
  name: string | null;
  nameState: 'ok' | 'withheld' | 'failed' | 'missing';
  attention: { results: AttentionResult[]; overdueTasks: number; score: number; withheld: DashboardSource[] };
  staleness: { stale: boolean; newest: string | null; ageDays: number | null; sources: SourceAge[] };
  unsignedNotes: Counted;
  unansweredMessages: Counted;
  consentChanges: { count: number; newest: string | null; revoked: number };
  /** Sources consent withheld, wholly or in part (for the "withheld" marks). */
  withheld: DashboardSource[];
}

const DAY_MS = 86_400_000;
const OPEN_TASK = new Set(['requested', 'received', 'accepted', 'ready', 'in-progress', 'on-hold']);
/** A day of slack for clocks and time zones before a date counts as "in the future". */
const FUTURE_SLACK_MS = DAY_MS;

function newestDate(resources: Resource[], dateOf: (r: Resource) => (string | undefined)[], nowMs: number): string | null {
  let best: string | null = null;
  let bestMs = Number.NEGATIVE_INFINITY;
  for (const r of resources) {
    for (const d of dateOf(r)) {
      const ms = dateMs(d);
      if (!Number.isFinite(ms) || ms > nowMs + FUTURE_SLACK_MS) continue;
      if (ms > bestMs) [best, bestMs] = [d ?? null, ms];
    }
  }
  return best;
}

const DATES: Record<DashboardSource, (r: Resource) => (string | undefined)[]> = {
  Observation: (r) => [(r as Observation).effectiveDateTime, (r as Observation).effectivePeriod?.end, (r as Observation).effectivePeriod?.start, (r as Observation).effectiveInstant, (r as Observation).issued],
  Encounter: (r) => [(r as Encounter).period?.end, (r as Encounter).period?.start],
  DocumentReference: (r) => [(r as DocumentReference).date, (r as DocumentReference).context?.period?.end, (r as DocumentReference).context?.period?.start],
  Task: (r) => [(r as Task).lastModified, (r as Task).authoredOn],
  Communication: (r) => [(r as Communication).sent, (r as Communication).received],
};

function sourceAge(source: DashboardSource, answer: SourceAnswer, s: DashboardSettings): SourceAge {
  if (answer.state !== 'ok') return { source, state: answer.state, newest: null, ageDays: null, stale: false };
  const nowMs = s.now.getTime();
  const newest = newestDate(resourcesOf(answer.bundle, source), DATES[source], nowMs);
  if (!newest) return { source, state: 'none', newest: null, ageDays: null, stale: false };
  const ageDays = Math.floor((nowMs - dateMs(newest)) / DAY_MS);
  return { source, state: 'ok', newest, ageDays: Math.max(0, ageDays), stale: ageDays > s.staleAfterDays };
}

function attentionResults(answer: SourceAnswer, s: DashboardSettings): AttentionResult[] {
  if (answer.state !== 'ok') return [];
  const since = s.now.getTime() - s.recentDays * DAY_MS;
  const view = toNeedsAttention(toResultSeries(answer.bundle, s.compose), null);
  return view.items
    .filter((i) => dateMs(i.point.date) >= since && dateMs(i.point.date) <= s.now.getTime() + FUTURE_SLACK_MS)
    .map((i) => ({ label: i.series.label, text: i.point.text, flag: i.point.flag ?? 'abnormal', date: i.point.date ?? null }));
}

function overdueTasks(answer: SourceAnswer, s: DashboardSettings): number {
  if (answer.state !== 'ok') return 0;
  return resourcesOf<Task>(answer.bundle, 'Task').filter((t) => {
    const due = t.restriction?.period?.end ?? t.executionPeriod?.end;
    return OPEN_TASK.has(String(t.status)) && due !== undefined && dateMs(due) < s.now.getTime();
  }).length;
}

function counted(answer: SourceAnswer, count: (bundle: Bundle) => number): Counted {
  if (answer.state !== 'ok') return { state: answer.state };
  return { state: 'ok', count: count(answer.bundle), partial: answer.hidden > 0 };
}

function unansweredMessages(bundle: Bundle, practitioner: string): number {
  const all = resourcesOf<Communication>(bundle, 'Communication');
  const answered = new Set(all.flatMap((c) => (c.inResponseTo ?? []).map((r) => r.reference?.replace(/^.*\b(Communication\/[^/]+)(\/_history\/.*)?$/, '$1'))));
  return all.filter((c) => {
    if (c.status === 'entered-in-error' || c.status === 'not-done') return false;
    const toUs = (c.recipient ?? []).some((r) => r.reference === practitioner);
    const fromPatient = c.sender?.reference?.startsWith('Patient/') ?? false;
    return (toUs || fromPatient) && !answered.has(`Communication/${c.id}`);
  }).length;
}

function consentChanges(consents: readonly Consent[], s: DashboardSettings): CareTeamRow['consentChanges'] {
  const since = s.now.getTime() - s.recentDays * DAY_MS;
  const recent = consents.filter((c) => dateMs(c.meta?.lastUpdated ?? c.dateTime) >= since);
  const newest = recent.map((c) => c.meta?.lastUpdated ?? c.dateTime).sort((a, b) => dateMs(b) - dateMs(a))[0] ?? null;
  return { count: recent.length, newest, revoked: recent.filter((c) => c.status === 'inactive').length };
}

/** One row per patient, in the order given. */
export function toCareTeamRow(a: PatientAnswers, s: DashboardSettings): CareTeamRow {
  const sources = DASHBOARD_SOURCES.map((source) => sourceAge(source, a.sources[source], s));
  const judged = sources.filter((x) => x.state === 'ok' || x.state === 'none');
  const dated = sources.filter((x) => x.state === 'ok');
  const newest = dated.map((x) => x.newest!).sort((x, y) => dateMs(y) - dateMs(x))[0] ?? null;
  const ageDays = newest ? Math.max(0, Math.floor((s.now.getTime() - dateMs(newest)) / DAY_MS)) : null;
  // Stale: something could be judged and none of it is recent (no data at all counts as stale).
  const stale = judged.length > 0 && (ageDays === null || ageDays > s.staleAfterDays);
  const withheld = DASHBOARD_SOURCES.filter((src) => {
    const x = a.sources[src];
    return x.state === 'withheld' || (x.state === 'ok' && x.hidden > 0);
  });
  const results = attentionResults(a.sources.Observation, s);
  const tasks = overdueTasks(a.sources.Task, s);
  const critical = results.filter((r) => r.flag === 'critical').length;
  return {
    patientId: a.patientId,
    name: a.patient.state === 'ok' ? toPatientHeader(a.patient.resource, s.compose, s.now).name : null,
    nameState: a.patient.state,
    attention: { results, overdueTasks: tasks, score: critical * 10 + results.length + tasks, withheld: withheld.filter((w) => w === 'Observation' || w === 'Task') },
    staleness: { stale, newest, ageDays, sources },
    unsignedNotes: counted(a.sources.DocumentReference, (b) => resourcesOf<DocumentReference>(b, 'DocumentReference').filter((d) => d.docStatus === 'preliminary' && d.status === 'current').length),
    unansweredMessages: counted(a.sources.Communication, (b) => unansweredMessages(b, s.practitioner)),
    consentChanges: consentChanges(a.consents, s),
    withheld,
  };
}

export const CARE_TEAM_SORTS = ['attention', 'stale', 'name'] as const;
export type CareTeamSort = (typeof CARE_TEAM_SORTS)[number];

export function parseCareTeamSort(value: unknown): CareTeamSort {
  return (CARE_TEAM_SORTS as readonly unknown[]).includes(value) ? (value as CareTeamSort) : 'attention';
}

const byName = (a: CareTeamRow, b: CareTeamRow) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff') || a.patientId.localeCompare(b.patientId);
/** Oldest data first; no data at all before any data; unknown (withheld) last. */
const staleRank = (r: CareTeamRow) => (r.staleness.stale && r.staleness.ageDays === null ? Number.POSITIVE_INFINITY : (r.staleness.ageDays ?? Number.NEGATIVE_INFINITY));

/** Rows sorted: most needing attention first (then stalest), stalest first, or by name. Stable ties by name. */
export function sortCareTeamRows(rows: readonly CareTeamRow[], sort: CareTeamSort): CareTeamRow[] {
  const copy = [...rows];
  if (sort === 'name') return copy.sort(byName);
  if (sort === 'stale') return copy.sort((a, b) => staleRank(b) - staleRank(a) || byName(a, b));
  return copy.sort((a, b) => b.attention.score - a.attention.score || Number(b.staleness.stale) - Number(a.staleness.stale) || byName(a, b));
}

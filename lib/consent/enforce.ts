/**
 * Consent at the proxy: turns a launch's request and the EHR's answer into `decide()` calls
 * and applies the decisions. Pure; the proxy route loads the consents fresh for every request
 * (decisions are never cached past a change) and supplies the clock and policy.
 *
 * - Before the EHR is asked: a decision for the resource type alone. A deny there means a read
 *   answers as if the resource did not exist, a search answers an empty Bundle, a write is
 *   refused.
 * - After: a decision per resource with its labels, date, codes and identity. Denied or
 *   redacted resources are removed from Bundles (and `total` adjusted); a denied single read
 *   answers as not found, so existence is not revealed.
 */
import type { Bundle, Coding, Consent, Resource } from '@medplum/fhirtypes';
import { labelCovers, normalizeReference } from './codes';
import { decide, mustRedact } from './decide';
import { deniedLabels } from './evaluate';
import type { DecisionActor, DecisionRequestInput } from './schema';
import type { Decision, DecisionPolicy } from './types';
import { CONSENT_HIDDEN_ALL, CONSENT_HIDDEN_EXTENSION, CONSENT_WHY_SYSTEM } from './hidden';

export { CONSENT_HIDDEN_ALL, CONSENT_HIDDEN_EXTENSION, CONSENT_WHY_SYSTEM, hiddenAcross, hiddenByConsent } from './hidden';

export interface ConsentContext {
  patientId: string;
  actor: DecisionActor;
  purposeOfUse: string;
  consents: readonly Consent[];
  now: Date;
  policy: DecisionPolicy;
}

export type ConsentAction = 'access' | 'correct' | 'collect';

/**
 * Why `decision` keeps `resource` (or, without one, a whole type) from this launch: `label` when
 * a restriction of sensitivity labels applied (the provision's or the redaction's), never which
 * label: "records marked HIV are hidden" tells a clinician what the patient has, which is what
 * the restriction keeps from them. `restricted` or `not-shared` otherwise.
 */
export function whyHidden(decision: Decision, resource?: Resource, consents: readonly Consent[] = []): string[] {
  const labels = Array.isArray(resource?.meta?.security) ? resource.meta.security.filter((l) => typeof l?.code === 'string') : [];
  const restricting = (candidates: readonly Coding[]) => [...new Set(candidates.filter((l) => typeof l.code === 'string' && labelCovers(l, labels, 'deny')).map(() => 'label'))];
  if (decision.decision === 'permit') {
    const redacted = decision.obligations.flatMap((o) => (o.type === 'redact' ? o.securityLabels : []));
    const named = restricting(redacted);
    return named.length > 0 ? named : ['restricted'];
  }
  if (decision.reasons.includes('label-restricted') && labels.length) {
    const deciding = consents.filter((c) => c.id !== undefined && decision.consentIds.includes(c.id)).flatMap(deniedLabels);
    const named = restricting(deciding);
    if (named.length > 0) return named;
  }
  if (decision.reasons.some((r) => r === 'default-deny' || r === 'patient-default-deny')) return ['not-shared'];
  return ['restricted'];
}

function whyTags(why: Iterable<string>): Coding[] {
  return [...new Set(why)].sort().map((code) => ({ system: CONSENT_WHY_SYSTEM, code }));
}

/** The empty search answer for a type withheld whole, with why. */
export function withheldSearchset(decision: Decision): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [], meta: { tag: [CONSENT_HIDDEN_ALL, ...whyTags(whyHidden(decision))] } };
}

/** Where a resource states its clinically relevant date (R4 element names, `[x]` spelt out). */
const DATE_FIELDS = [
  'effectiveDateTime', 'effectiveInstant', 'onsetDateTime', 'recordedDate', 'authoredOn', 'occurrenceDateTime', 'date', 'issued', 'performedDateTime', 'created',
  'start', 'birthDate', 'lastOccurrence', 'assertedDate', 'dateAsserted',
] as const;
const PERIOD_FIELDS = ['effectivePeriod', 'period', 'performedPeriod', 'onsetPeriod', 'occurrencePeriod'] as const;

function dateOf(r: Record<string, unknown>): string | undefined {
  for (const f of DATE_FIELDS) if (typeof r[f] === 'string') return r[f] as string;
  for (const f of PERIOD_FIELDS) {
    const period = r[f] as { start?: unknown; end?: unknown } | undefined;
    if (typeof period?.start === 'string') return period.start;
    if (typeof period?.end === 'string') return period.end;
  }
  return undefined;
}

function codesOf(r: Record<string, unknown>): Coding[] | undefined {
  const concept = (r.code ?? r.vaccineCode ?? r.medicationCodeableConcept ?? r.type) as { coding?: unknown } | undefined;
  if (!Array.isArray(concept?.coding)) return undefined;
  const codes = (concept.coding as Coding[]).filter((c) => typeof c?.code === 'string');
  return codes.length > 0 ? codes : undefined;
}

/** Elements that name who wrote or did what a resource records (Consent.provision.data `authoredby`). */
const AUTHOR_FIELDS = ['recorder', 'asserter', 'author', 'requester', 'performer', 'informationSource', 'authenticator', 'sender', 'owner'] as const;

function referencesIn(value: unknown, out: string[], depth = 0): void {
  if (depth > 12 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, out, depth + 1);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    if (key === 'reference' && typeof v === 'string') {
      const ref = normalizeReference(v);
      if (ref !== undefined) out.push(ref);
    } else if (key !== 'contained') referencesIn(v, out, depth + 1);
  }
}

/**
 * The references a resource makes and its authors, normalised. Undefined when it names none:
 * the engine then treats `dependents` and `authoredby` rules as unanswerable for it (a permit
 * does not grant, a deny denies) instead of guessing "no".
 */
function identityOf(r: Record<string, unknown>): { references?: string[]; authors?: string[] } {
  const references: string[] = [];
  referencesIn(r, references);
  const authors: string[] = [];
  for (const f of AUTHOR_FIELDS) {
    referencesIn(r[f], authors);
    if (f === 'performer' && Array.isArray(r[f])) for (const p of r[f] as unknown[]) referencesIn((p as { actor?: unknown })?.actor, authors);
  }
  return {
    ...(references.length > 0 ? { references: [...new Set(references)].slice(0, 500) } : {}),
    ...(authors.length > 0 ? { authors: [...new Set(authors)].slice(0, 100) } : {}),
  };
}

function base(ctx: ConsentContext, resourceType: string, action: ConsentAction): DecisionRequestInput {
  return { patient: `Patient/${ctx.patientId}`, actor: ctx.actor, purposeOfUse: ctx.purposeOfUse, action, resourceType };
}

export function decideForType(ctx: ConsentContext, resourceType: string, action: ConsentAction): Decision {
  return decide(base(ctx, resourceType, action) as never, ctx.consents, ctx.now, ctx.policy);
}

export function decideForResource(ctx: ConsentContext, resource: Resource, action: ConsentAction): Decision {
  const r = resource as unknown as Record<string, unknown>;
  const labels = Array.isArray(resource.meta?.security) ? resource.meta.security.filter((c) => typeof c?.code === 'string') : [];
  const date = dateOf(r);
  const code = codesOf(r);
  const request: DecisionRequestInput = {
    ...base(ctx, resource.resourceType, action),
    securityLabels: labels as DecisionRequestInput['securityLabels'],
    ...(date ? { date } : {}),
    ...(code ? { code: code as DecisionRequestInput['code'] } : {}),
    ...identityOf(r),
    ...(typeof resource.id === 'string' && /^[A-Za-z0-9\-.]{1,64}$/.test(resource.id) ? { resource: `${resource.resourceType}/${resource.id}` } : {}),
  };
  return decide(request as never, ctx.consents, ctx.now, ctx.policy);
}

/**
 * Whether this resource may be shown under `decision`, including its redaction obligations.
 * A per-resource decision that still asks to be decided per resource could not be answered
 * from the resource (no date for a dataPeriod rule, no code, no author): obligations are
 * mandatory (types.ts), so it fails closed.
 */
export function permitsResource(decision: Decision, resource: Resource): boolean {
  if (decision.decision !== 'permit') return false;
  if (decision.obligations.some((o) => o.type === 'decide-per-resource')) return false;
  const labels = Array.isArray(resource.meta?.security) ? resource.meta.security : [];
  return !mustRedact(decision, labels);
}

export interface ConsentFiltered {
  body: unknown;
  /** Entries or resources removed by consent. */
  hidden: number;
  /** Decisions that carried an audit-alert obligation (break-glass). */
  alerts: number;
  /** True when a single resource was withheld: answer as not found. */
  withheld: boolean;
  /** The consents behind each decision that withheld something or permitted under a consent (see decidingConsents). */
  consentIds: string[];
}

/** The tag system that says what became of a search's `total` under consent: `recounted` or `omitted`. */
export const CONSENT_TOTAL_SYSTEM = 'urn:housecall:consent-total';

/** How applyConsent judges and counts (the proxy's knowledge of the request). */
export interface ApplyOptions {
  /**
   * Labels judged as if every resource carried them too: a `vread` or `_history` answer is
   * judged by the current version's labels as well as its own (a label added later protects
   * the older versions it was added for).
   */
  alsoLabels?: readonly Coding[];
  /**
   * The EHR's `total` may count resources consent withholds (the type decision asks for
   * per-resource judgement): it is recounted from this answer when the answer is the whole
   * result, and otherwise dropped with a `CONSENT_TOTAL_SYSTEM|omitted` tag.
   */
  totalAtRisk?: boolean;
  /**
   * The type a search asked for. When consent judges this type record by record (labels, the
   * data's period, code or author: recordDependentWhy), every answer to it says that records may
   * be hidden, whether or not any matched: otherwise a search by code (an HIV test's LOINC) or by
   * date would tell by the notice alone that the patient has such records.
   */
  searchType?: string;
}

/** The tag a Bundle carries when consent hid, or may have hidden, some of its entries: never how many. */
const SOME_HIDDEN: Coding = { system: CONSENT_HIDDEN_EXTENSION, code: 'some', display: 'entries may be withheld by consent' };

/** Whether the patient's restrictions of labels would keep some resources of `type` from this launch. */
function labelsRestricted(ctx: ConsentContext, type: string): boolean {
  const labels = ctx.consents.flatMap(deniedLabels);
  return labels.some((label) => {
    const probe = { resourceType: type, meta: { security: [label] } } as Resource;
    const decision = decideForResource(ctx, probe, 'access');
    return !permitsResource(decision, probe) && whyHidden(decision, probe, ctx.consents).includes('label');
  });
}

/**
 * Why-codes that every search answer of `type` carries, whether or not a record matched, when
 * consent judges that type record by record: by its labels (`label`), or by its date, code or
 * author (`restricted`: a record's own judgement may say `restricted` or `not-shared`, and saying
 * which, or saying it only when a record matched, would tell a search by date or code that such a
 * record exists). Empty when the type is judged whole, or not at all.
 */
export function recordDependentWhy(ctx: ConsentContext, type: string): string[] {
  const why: string[] = [];
  if (labelsRestricted(ctx, type)) why.push('label');
  if (decideForType(ctx, type, 'access').obligations.some((o) => o.type === 'decide-per-resource')) why.push('restricted');
  return why;
}

/**
 * The consents a decision names, when the decision is one a reviewer needs to see: it withheld
 * something, or permitted under a consent rather than by default or as the patient's own access.
 */
export function decidingConsents(decision: Decision, withheld: boolean): string[] {
  if (withheld || !['default-permit', 'patient-self'].includes(decision.reasons[0] ?? '')) return decision.consentIds;
  return [];
}

function withLabels(resource: Resource, labels: readonly Coding[] | undefined): Resource {
  if (!labels?.length) return resource;
  const own = Array.isArray(resource.meta?.security) ? resource.meta.security : [];
  return { ...resource, meta: { ...resource.meta, security: [...own, ...labels] } } as Resource;
}

function isPaged(bundle: Bundle): boolean {
  return (bundle.link ?? []).some((l) => l.relation === 'next' || l.relation === 'previous' || l.relation === 'prev');
}

/**
 * Applies consent to an EHR answer: a Bundle is filtered, a single resource kept or withheld.
 * A Bundle's `total` never counts what was withheld: see ApplyOptions.totalAtRisk.
 */
export function applyConsent(body: unknown, ctx: ConsentContext, options: ApplyOptions = {}): ConsentFiltered {
  if (!body || typeof body !== 'object') return { body, hidden: 0, alerts: 0, withheld: false, consentIds: [] };
  const resource = body as Resource;
  if (resource.resourceType === 'OperationOutcome') return { body, hidden: 0, alerts: 0, withheld: false, consentIds: [] };
  let alerts = 0;
  const why: string[] = [];
  const consentIds = new Set<string>();
  const judge = (r: Resource): boolean => {
    if (r.resourceType === 'OperationOutcome') return true;
    const judged = withLabels(r, options.alsoLabels);
    const d = decideForResource(ctx, judged, 'access');
    if (d.obligations.some((o) => o.type === 'audit-alert')) alerts++;
    const ok = permitsResource(d, judged);
    if (!ok) why.push(...whyHidden(d, judged, ctx.consents));
    for (const id of decidingConsents(d, !ok)) consentIds.add(id);
    return ok;
  };
  if (resource.resourceType !== 'Bundle') {
    const ok = judge(resource);
    return { body: ok ? body : null, hidden: ok ? 0 : 1, alerts, withheld: !ok, consentIds: [...consentIds] };
  }
  const bundle = resource as Bundle;
  const entries = (bundle.entry ?? []).filter((e) => !e.resource || judge(e.resource));
  const hidden = (bundle.entry?.length ?? 0) - entries.length;
  const tags: Coding[] = [];
  // Bundle has no extension element in R4: the notice rides on meta.tag instead, with no count
  // (a search by code would count the patient's sensitive records). Where consent judges the type
  // record by record (labels, dates, codes), the same notice is on every answer of the type,
  // whatever matched, so neither its presence nor its reasons tell anything of the records.
  const fixed = options.searchType && bundle.type === 'searchset' ? recordDependentWhy(ctx, options.searchType) : [];
  const told = fixed.length > 0 ? fixed : why;
  if (hidden > 0 || told.length > 0) tags.push(SOME_HIDDEN, ...whyTags(told));
  const { total: _upstreamTotal, ...rest } = bundle;
  let total: number | undefined = bundle.total;
  if (typeof bundle.total === 'number' && (hidden > 0 || options.totalAtRisk)) {
    if (isPaged(bundle)) {
      total = undefined;
      tags.push({ system: CONSENT_TOTAL_SYSTEM, code: 'omitted', display: 'total left out: it could count entries withheld by consent' });
    } else {
      total = entries.filter((e) => e.search?.mode !== 'include' && e.search?.mode !== 'outcome').length;
    }
  }
  const out: Bundle = {
    ...rest,
    ...(total !== undefined ? { total } : {}),
    entry: entries,
    ...(tags.length > 0 ? { meta: { ...bundle.meta, tag: [...(bundle.meta?.tag ?? []), ...tags] } } : {}),
  };
  return { body: out, hidden, alerts, withheld: false, consentIds: [...consentIds] };
}

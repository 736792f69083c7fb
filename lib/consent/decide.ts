/**
 * The consent decision: a pure function from a request, the patient's Consent resources, the
 * time and the deployment's policy to permit or deny, with reasons and obligations.
 *
 * Order of judgement:
 * 1. unreadable input or clock: deny (`invalid-input`);
 * 2. the patient reading their own record: permit (`patient-self`), as a patient's privacy
 *    directives govern disclosure to others, not the patient's right of access;
 * 3. data labelled for other purposes of use: deny (`purpose-conflict`);
 * 4. each consent that is active, in force and about this patient gives possible outcomes
 *    (evaluate.ts); across consents deny overrides permit; with none, the policy default;
 * 5. a permit lists what it must redact (labels a deny rule restricts) and, where it depends
 *    on data the request did not describe, asks for a per-resource decision;
 * 6. break-glass (purpose BTG by a practitioner, unless disabled) turns the result into a
 *    permit with an audit alert, keeping the overridden reasons for the record.
 */
import type { Coding, Consent } from '@medplum/fhirtypes';
import { CONSENT_SYSTEMS, labelCovers, normalizeReference, purposeSubsumes, referenceType } from './codes';
import { combine, deniedLabels, evaluateConsent, isPatientDefault, patientDefaultRule, UNDECIDED, type ConsentVerdict, type EvaluationContext, type Possible } from './evaluate';
import type { DecisionRequest } from './schema';
import type { DataElement, Decision, DecisionPolicy, Obligation, ReasonCode } from './types';

interface Run {
  verdicts: ConsentVerdict[];
  possible: Possible;
  unknown: ReadonlySet<DataElement>;
}

type Applied = Extract<ConsentVerdict, { kind: 'applies' }>;
type RequestLabel = DecisionRequest['securityLabels'][number];

function evaluateAll(request: DecisionRequest, consents: readonly Consent[], base: Omit<EvaluationContext, 'request' | 'unknown'>): Run {
  const ctx: EvaluationContext = { ...base, request, unknown: new Set() };
  const verdicts = consents.map((consent, index) => evaluateConsent(consent, index, ctx));
  const possible = verdicts.reduce((acc, v) => (v.kind === 'applies' ? combine(acc, v.possible) : acc), UNDECIDED);
  return { verdicts, possible, unknown: ctx.unknown };
}

/** The outcomes still possible once "no consent applies" is replaced by the policy default. */
function withDefault(possible: Possible, policy: DecisionPolicy): { permit: boolean; deny: boolean } {
  return {
    permit: possible.permit || (possible.none && policy.noConsent === 'permit'),
    deny: possible.deny || (possible.none && policy.noConsent === 'deny'),
  };
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function ids(verdicts: readonly ConsentVerdict[], keep: (v: Applied) => boolean): string[] {
  return verdicts.filter((v): v is Applied => v.kind === 'applies' && keep(v)).map((v) => v.id);
}

/**
 * Purpose-of-use labels on the data (v3 ActReason codes in meta.security) limit what it may be
 * used for; R4 Consent.provision.purpose: "the access request purpose of use shall not
 * conflict" with them.
 */
function purposeConflicts(request: DecisionRequest): boolean {
  const allowed = request.securityLabels.filter((l) => l.system === CONSENT_SYSTEMS.actReason && l.code);
  return allowed.length > 0 && !allowed.some((l) => purposeSubsumes(l.code as string, request.purposeOfUse));
}

/**
 * Labels a permit must redact: for each label a deny rule of an applicable consent names, and
 * the data does not already carry, would data with that label be denied? If so, the permit
 * stands for the rest and resources with the label must be removed (R4
 * Consent.provision.securityLabel on a nested deny: an exception carved out of a permit).
 */
function redactions(request: DecisionRequest, consents: readonly Consent[], run: Run, policy: DecisionPolicy, base: Omit<EvaluationContext, 'request' | 'unknown'>) {
  const already = new Set(request.securityLabels.map((l) => `${l.system ?? ''}|${l.code}`));
  const candidates = new Map<string, { label: RequestLabel; ids: string[] }>();
  run.verdicts.forEach((verdict, index) => {
    const consent = consents[index];
    if (verdict.kind !== 'applies' || consent === undefined) return;
    for (const { system, code } of deniedLabels(consent)) {
      const key = `${system ?? ''}|${code}`;
      if (code === undefined || already.has(key)) continue;
      const entry = candidates.get(key) ?? { label: system === undefined ? { code } : { system, code }, ids: [] };
      entry.ids.push(verdict.id);
      candidates.set(key, entry);
    }
  });
  const current = withDefault(run.possible, policy);
  const labels: Coding[] = [];
  const consentIds: string[] = [];
  for (const { label, ids: from } of candidates.values()) {
    const labelled = { ...request, securityLabels: [...request.securityLabels, label] };
    const outcome = withDefault(evaluateAll(labelled, consents, base).possible, policy);
    if (!outcome.permit || (outcome.deny && !current.deny)) {
      labels.push(label);
      consentIds.push(...from);
    }
  }
  return { labels, consentIds };
}

function judge(request: DecisionRequest, consents: readonly Consent[], policy: DecisionPolicy, base: Omit<EvaluationContext, 'request' | 'unknown'>): Decision {
  if (purposeConflicts(request)) return { decision: 'deny', reasons: ['purpose-conflict'], consentIds: [], obligations: [] };
  const run = evaluateAll(request, consents, base);
  const outcome = withDefault(run.possible, policy);
  const outsidePeriod = run.verdicts.some((v) => v.kind === 'outside-period');
  if (!outcome.permit) {
    if (!run.possible.deny) {
      return { decision: 'deny', reasons: outsidePeriod ? ['default-deny', 'outside-period'] : ['default-deny'], consentIds: [], obligations: [] };
    }
    const reasons: ReasonCode[] = ['consent-deny'];
    if (run.possible.byLabel) reasons.push('label-restricted');
    if (run.verdicts.some((v) => v.kind === 'applies' && v.uninterpretable)) reasons.push('consent-uninterpretable');
    return { decision: 'deny', reasons, consentIds: ids(run.verdicts, (v) => v.possible.deny), obligations: [] };
  }
  const reasons: ReasonCode[] = [run.possible.permit ? 'consent-permit' : 'default-permit'];
  if (!run.possible.permit && outsidePeriod) reasons.push('outside-period');
  const consentIds = ids(run.verdicts, (v) => v.possible.permit);
  const obligations: Obligation[] = [];
  if (outcome.deny) {
    reasons.push('data-dependent');
    consentIds.push(...ids(run.verdicts, (v) => v.possible.deny));
    obligations.push({ type: 'decide-per-resource', elements: [...run.unknown].sort() });
  }
  const redact = redactions(request, consents, run, policy, base);
  if (redact.labels.length > 0) {
    reasons.push('label-restricted');
    consentIds.push(...redact.consentIds);
    obligations.push({ type: 'redact', securityLabels: redact.labels });
  }
  return { decision: 'permit', reasons, consentIds: unique(consentIds), obligations };
}

/**
 * Judges with the patient's own default (build.ts `patientDefault`) in place of the
 * deployment's, when they recorded one; deny wins if they recorded both. Their other consents
 * are judged as usual, so a share recorded after "only the people I share with" permits.
 */
function withPatientDefault(request: DecisionRequest, consents: readonly Consent[], policy: DecisionPolicy, base: Omit<EvaluationContext, 'request' | 'unknown'>): Decision {
  const defaults = consents.flatMap((c, i) => patientDefaultRule(c, i, base) ?? []);
  const rules = consents.filter((c) => !isPatientDefault(c));
  if (defaults.length === 0) return judge(request, rules, policy, base);
  const rule = defaults.some((d) => d.rule === 'deny') ? 'deny' : 'permit';
  const decision = judge(request, rules, { ...policy, noConsent: rule }, base);
  const byDefault = decision.reasons[0] === `default-${rule}`;
  if (!byDefault) return decision;
  const reasons = decision.reasons.map((r): ReasonCode => (r === 'default-permit' ? 'patient-default-permit' : r === 'default-deny' ? 'patient-default-deny' : r));
  const ids = defaults.filter((d) => d.rule === rule).map((d) => d.id);
  return { ...decision, reasons, consentIds: unique([...ids, ...decision.consentIds]) };
}

/**
 * Decides whether `request` may proceed under the patient's `consents` at time `now`.
 *
 * Implements FHIR R4 Consent (scope patient-privacy) as the record of the patient's choices:
 * Consent.status must be `active`; Consent.patient must be the request's patient (another
 * patient's consent never counts); the root Consent.provision.period, starting no earlier than
 * Consent.dateTime, must contain `now`; Consent.provision's elements are AND-ed and their
 * repeats OR-ed; nested provisions are exceptions and the most specific match decides; across
 * consents deny overrides permit; with no applicable consent, `policy.noConsent` decides and
 * the reasons say so (`default-permit` / `default-deny`), unless the patient recorded their own
 * default (`patient-default-permit` / `patient-default-deny`). Break-glass (purpose BTG by a
 * Practitioner or PractitionerRole) permits over patient restrictions with an `audit-alert`
 * obligation unless `policy.breakGlass` is 'disabled'. Never throws; pure.
 */
export function decide(input: DecisionRequest, consents: readonly Consent[], now: Date, policy: DecisionPolicy): Decision {
  // Callers should pass a parsed request; tolerate a raw one whose defaults were never applied.
  const request: DecisionRequest = {
    ...input,
    actor: { ...input.actor, roles: input.actor?.roles ?? [], memberOf: input.actor?.memberOf ?? [] },
    securityLabels: input.securityLabels ?? [],
  };
  const nowMs = now instanceof Date ? now.getTime() : Number.NaN;
  const patient = normalizeReference(request.patient);
  const actor = normalizeReference(request.actor.reference);
  if (!Number.isFinite(nowMs) || actor === undefined || patient === undefined || referenceType(patient) !== 'Patient') {
    return { decision: 'deny', reasons: ['invalid-input'], consentIds: [], obligations: [] };
  }
  if (actor === patient) return { decision: 'permit', reasons: ['patient-self'], consentIds: [], obligations: [] };
  const memberOf = new Set(request.actor.memberOf.map(normalizeReference).filter((r): r is string => r !== undefined));
  const decision = withPatientDefault(request, consents, policy, { patient, actor, memberOf, nowMs });
  if (request.purposeOfUse !== 'BTG') return decision;
  const type = referenceType(actor);
  if (policy.breakGlass === 'disabled' || (type !== 'Practitioner' && type !== 'PractitionerRole')) {
    return { ...decision, reasons: [...decision.reasons, 'break-glass-unavailable'] };
  }
  return breakGlass(request, consents, policy, { patient, actor, memberOf, nowMs }, decision);
}

/** True when the ordinary decision would keep data carrying `labels` from the requester. */
function keepsFrom(decision: Decision, labels: readonly Coding[]): boolean {
  return decision.decision === 'deny' || mustRedact(decision, labels) || decision.obligations.some((o) => o.type === 'decide-per-resource');
}

/**
 * Break-glass over the ordinary `decision`: a permit with an audit alert, except for data under
 * a label the policy says break-glass never overrides. Such data keeps the ordinary decision:
 * a request that carries the label is judged as if no glass was broken; one that does not
 * (a type-level question) is permitted with those labels to redact wherever the ordinary
 * decision would have kept them from the requester.
 */
function breakGlass(request: DecisionRequest, consents: readonly Consent[], policy: DecisionPolicy, base: Omit<EvaluationContext, 'request' | 'unknown'>, decision: Decision): Decision {
  const never = policy.breakGlassNeverOverrides ?? [];
  const carried = never.filter((l) => labelCovers(l, request.securityLabels, 'deny'));
  if (carried.length > 0) {
    return keepsFrom(decision, request.securityLabels) ? { ...decision, decision: 'deny', reasons: unique([...decision.reasons, 'break-glass-excluded']), obligations: [] } : decision;
  }
  const kept = never.filter((label): label is RequestLabel => typeof label.code === 'string').filter((label) => {
    const labelled = { ...request, securityLabels: [...request.securityLabels, { ...(label.system ? { system: label.system } : {}), code: label.code }] };
    return keepsFrom(withPatientDefault(labelled, consents, policy, base), labelled.securityLabels);
  });
  const obligations: Obligation[] = [{ type: 'audit-alert' }];
  if (kept.length > 0) obligations.push({ type: 'redact', securityLabels: kept.map((l) => (l.system ? { system: l.system, code: l.code } : { code: l.code })) });
  const reasons: ReasonCode[] = unique(['break-glass', ...decision.reasons, ...(kept.length > 0 ? (['break-glass-excluded'] as const) : [])]);
  return { decision: 'permit', reasons, consentIds: decision.consentIds, obligations };
}

/**
 * True when a resource carrying `dataLabels` must be removed under a decision's `redact`
 * obligations. Uses the deny reading of Consent.provision.securityLabel: a redaction of R also
 * removes V data, a redaction of SUD also removes ETHUD and OPIOIDUD data.
 */
export function mustRedact(decision: Decision, dataLabels: readonly Coding[]): boolean {
  return decision.obligations.some((o) => o.type === 'redact' && o.securityLabels.some((l) => labelCovers(l, dataLabels, 'deny')));
}

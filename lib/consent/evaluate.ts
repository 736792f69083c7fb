/**
 * Evaluates one Consent against a request, as a set of possible outcomes.
 *
 * Model: a consent is a tree of provisions. A provision applies when its own elements match
 * (see match.ts); its nested provisions are exceptions to it. Along each branch the most
 * specific matching provision decides; where sibling branches disagree, deny overrides
 * permit (the same rule `decide()` uses across consents). Because the request may leave out
 * attributes of the data, a provision can "maybe" match; the evaluation then keeps every
 * outcome that some value of those attributes would give: permit, deny, or no decision.
 */
import type { Coding, Consent, ConsentProvision } from '@medplum/fhirtypes';
import { CONSENT_SYSTEMS, normalizeReference } from './codes';
import { matchProvision, type MatchContext } from './match';
import { consentWindow, positionIn } from './time';

/** Which outcomes are possible; `byLabel` notes that a deny came from a securityLabel rule. */
export interface Possible {
  permit: boolean;
  deny: boolean;
  /** No provision decides (the consent, or this branch, does not apply). */
  none: boolean;
  byLabel: boolean;
}

/** No decision: the identity of `combine`. */
export const UNDECIDED: Possible = { permit: false, deny: false, none: true, byLabel: false };
const DENY_ONLY: Possible = { permit: false, deny: true, none: false, byLabel: false };

/** Deny-overrides over two sets of possible outcomes (siblings, or separate consents). */
export function combine(a: Possible, b: Possible): Possible {
  return {
    deny: a.deny || b.deny,
    permit: (a.permit && (b.permit || b.none)) || (b.permit && (a.permit || a.none)),
    none: a.none && b.none,
    byLabel: a.byLabel || b.byLabel,
  };
}

/** Matching context plus the patient the request is about (normalised). */
export interface EvaluationContext extends MatchContext {
  patient: string;
}

/** One consent's verdict on a request. */
export type ConsentVerdict =
  | { kind: 'ignored' }
  | { kind: 'outside-period'; id: string }
  | { kind: 'applies'; id: string; possible: Possible; uninterpretable: boolean };

/** Nesting deeper than this is not a consent a person wrote; it fails closed. */
const MAX_DEPTH = 16;

type ProvisionType = 'permit' | 'deny';

function opposite(type: ProvisionType): ProvisionType {
  return type === 'permit' ? 'deny' : 'permit';
}

/**
 * The type of the root provision. R4 says the root rule carries no type and states it through
 * Consent.policyRule (OPTIN, OPTINR: permit; OPTOUT, OPTOUTE: deny); many servers put `type` on
 * the root anyway, which wins when present. Undefined when neither says.
 */
export function rootType(consent: Consent): ProvisionType | undefined {
  if (consent.provision?.type) return consent.provision.type;
  for (const coding of consent.policyRule?.coding ?? []) {
    if (coding.system !== CONSENT_SYSTEMS.actCode) continue;
    if (coding.code === 'OPTIN' || coding.code === 'OPTINR') return 'permit';
    if (coding.code === 'OPTOUT' || coding.code === 'OPTOUTE') return 'deny';
  }
  return undefined;
}

/**
 * The effective type of every provision: a nested provision's own `type` when present
 * (R4 requires it), otherwise the opposite of its parent's, since a nested rule is an exception.
 */
export function walkProvisions(root: ConsentProvision, type: ProvisionType, visit: (p: ConsentProvision, type: ProvisionType, depth: number) => void, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  visit(root, type, depth);
  for (const child of root.provision ?? []) walkProvisions(child, child.type ?? opposite(type), visit, depth + 1);
}

function evaluateProvision(provision: ConsentProvision, type: ProvisionType, ctx: MatchContext, depth: number): Possible {
  if (depth > MAX_DEPTH) return DENY_ONLY;
  const match = matchProvision(provision, type, ctx, depth === 0);
  if (match === 'no') return UNDECIDED;
  const inner = (provision.provision ?? [])
    .map((child) => evaluateProvision(child, child.type ?? opposite(type), ctx, depth + 1))
    .reduce(combine, UNDECIDED);
  const labelled = type === 'deny' && (provision.securityLabel?.length ?? 0) > 0;
  return {
    permit: inner.permit || (inner.none && type === 'permit'),
    deny: inner.deny || (inner.none && type === 'deny'),
    none: match === 'maybe',
    byLabel: inner.byLabel || (inner.none && labelled),
  };
}

/** R4 Consent.scope: only patient-privacy consents govern access to the record. */
export function isPrivacyConsent(consent: Consent): boolean {
  return (consent.scope?.coding ?? []).some(
    (c) => c.code === 'patient-privacy' && (c.system === undefined || c.system === CONSENT_SYSTEMS.scope),
  );
}

/** Modifier extensions change meaning; R4 requires a reader that does not know them to stop. */
function hasModifierExtension(consent: Consent): boolean {
  if ((consent.modifierExtension?.length ?? 0) > 0) return true;
  let found = false;
  if (consent.provision) walkProvisions(consent.provision, 'permit', (p, _t, depth) => {
    if ((p.modifierExtension?.length ?? 0) > 0 || depth >= MAX_DEPTH) found = true;
  });
  return found;
}

/** How a consent is named in decisions: its id, or its position when it has none. */
export function consentLabel(consent: Consent, index: number): string {
  return consent.id ?? `#${index}`;
}

/**
 * One consent's verdict. It counts only when it is `active` (R4 Consent.status: draft,
 * proposed, rejected, inactive and entered-in-error records carry no permission), is a
 * patient-privacy consent (Consent.scope), is about this patient (Consent.patient; a consent
 * without a patient is about no one) and `now` is inside its window (see consentWindow). A
 * consent the engine cannot read (no root type, modifier extensions, absurd nesting) denies.
 */
export function evaluateConsent(consent: Consent, index: number, ctx: EvaluationContext): ConsentVerdict {
  if (consent.status !== 'active' || !isPrivacyConsent(consent)) return { kind: 'ignored' };
  if (normalizeReference(consent.patient?.reference) !== ctx.patient) return { kind: 'ignored' };
  const id = consentLabel(consent, index);
  const type = rootType(consent);
  const uninterpretable = type === undefined || hasModifierExtension(consent);
  const window = consentWindow(consent);
  const position = positionIn(window.start, window.end, ctx.nowMs);
  // An unreadable window cannot grant, but it must not lift a restriction either.
  if (position === 'before' || position === 'after' || (position === 'invalid' && type === 'permit' && !uninterpretable)) {
    return { kind: 'outside-period', id };
  }
  if (uninterpretable || type === undefined) return { kind: 'applies', id, possible: DENY_ONLY, uninterpretable: true };
  const possible = evaluateProvision(consent.provision ?? {}, type, ctx, 0);
  return { kind: 'applies', id, possible, uninterpretable: false };
}

/** Security labels named by the deny rules of a consent: what a permit may have to redact. */
export function deniedLabels(consent: Consent): Coding[] {
  const type = rootType(consent);
  const labels: Coding[] = [];
  if (consent.provision === undefined || type === undefined) return labels;
  walkProvisions(consent.provision, type, (p, t) => {
    if (t === 'deny') labels.push(...(p.securityLabel ?? []).filter((l) => l.code));
  });
  return labels;
}

/** Consent.category of a patient's own default; mirrors PATIENT_DEFAULT_CATEGORY in build.ts. */
const PATIENT_DEFAULT = { system: 'urn:housecall:consent-kind', code: 'patient-default' } as const;

/**
 * Whether a consent is a patient's own default (build.ts `patientDefault`): marked with the
 * patient-default category and carrying no rule, only perhaps a period. Such a consent is not
 * matched against requests; it replaces the deployment's default for this patient.
 */
export function isPatientDefault(consent: Consent): boolean {
  const marked = (consent.category ?? []).some((c) => (c.coding ?? []).some((k) => k.system === PATIENT_DEFAULT.system && k.code === PATIENT_DEFAULT.code));
  if (!marked) return false;
  const { period: _period, ...rules } = consent.provision ?? {};
  return Object.keys(rules).length === 0;
}

/**
 * The answer a patient's own default gives, when it counts (active, privacy, this patient, in
 * its window; see evaluateConsent), from Consent.policyRule (OPTIN: permit, OPTOUT: deny).
 */
export function patientDefaultRule(consent: Consent, index: number, ctx: Pick<EvaluationContext, 'patient' | 'nowMs'>): { id: string; rule: ProvisionType } | undefined {
  if (!isPatientDefault(consent) || consent.status !== 'active' || !isPrivacyConsent(consent)) return undefined;
  if (normalizeReference(consent.patient?.reference) !== ctx.patient) return undefined;
  const window = consentWindow(consent);
  if (positionIn(window.start, window.end, ctx.nowMs) !== 'within') return undefined;
  const rule = rootType({ ...consent, provision: undefined });
  return rule === undefined ? undefined : { id: consentLabel(consent, index), rule };
}

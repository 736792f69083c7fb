/**
 * Does one Consent.provision match a request? R4 semantics: the provision's elements (actor,
 * action, securityLabel, purpose, class, code, dataPeriod, period, data) are AND-ed; repeats of
 * one element are OR-ed; an absent element places no condition.
 *
 * Each element answers yes, no or maybe. "Maybe" means the request left out an attribute of
 * the data (its date, codes or identity) that the element needs; `decide()` then considers both
 * answers. An element the engine cannot evaluate at all (a code system it does not know, an
 * identifier-only actor, an unreadable date) fails closed: it matches when the provision denies
 * and does not match when it permits, so nothing unreadable ever widens access.
 */
import type { CodeableConcept, Coding, ConsentProvision, ConsentProvisionActor, ConsentProvisionData } from '@medplum/fhirtypes';
import { CONSENT_SYSTEMS, labelCovers, normalizeReference, purposeSubsumes } from './codes';
import type { DecisionRequest } from './schema';
import { overlaps, parseFhirTime, periodInterval, positionIn, within } from './time';
import type { DataElement } from './types';

/** The answer of one element or a whole provision. */
export type Match = 'yes' | 'no' | 'maybe';

/** What matching needs besides the provision: the request, the clock, and a note of unknowns. */
export interface MatchContext {
  request: DecisionRequest;
  /** The requester's reference, normalised. */
  actor: string;
  /** Normalised references of the organisations, care teams and groups the requester is in. */
  memberOf: ReadonlySet<string>;
  nowMs: number;
  /** Data attributes a provision needed but the request did not carry. */
  unknown: Set<DataElement>;
}

type ProvisionType = 'permit' | 'deny';
/** An element's answer before failing closed: 'unsupported' when it cannot be evaluated. */
type Raw = Match | 'unsupported';

function failClosed(raw: Raw, type: ProvisionType): Match {
  if (raw !== 'unsupported') return raw;
  return type === 'deny' ? 'yes' : 'no';
}

/** OR over the repeats of one element. */
function anyOf(raws: readonly Raw[], type: ProvisionType): Match {
  const answers = raws.map((raw) => failClosed(raw, type));
  if (answers.includes('yes')) return 'yes';
  if (answers.includes('maybe')) return 'maybe';
  return 'no';
}

/** AND over the elements of one provision. */
function allOf(answers: readonly Match[]): Match {
  if (answers.includes('no')) return 'no';
  if (answers.includes('maybe')) return 'maybe';
  return 'yes';
}

function sameCode(want: Coding, have: Coding): boolean {
  return want.code !== undefined && want.code === have.code && (want.system === undefined || want.system === have.system);
}

/** Codings of a concept in `system` (or with no system), or 'unsupported' when there are none. */
function codesIn(concept: CodeableConcept | Coding[], system: string): string[] | 'unsupported' {
  const codings = Array.isArray(concept) ? concept : (concept.coding ?? []);
  const codes = codings.filter((c) => (c.system === undefined || c.system === system) && c.code).map((c) => c.code as string);
  return codes.length > 0 ? codes : 'unsupported';
}

/**
 * Consent.provision.actor: who the rule is about. The reference must name the requester or a
 * group it belongs to (an Organization, CareTeam or Group resolved into `memberOf`). A role in
 * v3 ParticipationType (IRCP, PRCP, …) states how the actor relates to the data and is not a
 * condition; any other role (say, a nurse code) narrows the rule to requesters holding it.
 */
function actorEntry(entry: ConsentProvisionActor, ctx: MatchContext): Raw {
  const ref = normalizeReference(entry.reference?.reference);
  if (ref === undefined || ctx.request.actor.verified === false) return 'unsupported';
  if (ref !== ctx.actor && !ctx.memberOf.has(ref)) return 'no';
  const required = (entry.role?.coding ?? []).filter((c) => c.code && c.system !== CONSENT_SYSTEMS.participationType);
  if (required.length === 0) return 'yes';
  return required.some((want) => ctx.request.actor.roles.some((have) => sameCode(want, have))) ? 'yes' : 'no';
}

/** Consent.provision.action: consentaction codes; other systems cannot be judged. */
function actionEntry(concept: CodeableConcept, ctx: MatchContext): Raw {
  const codes = codesIn(concept, CONSENT_SYSTEMS.action);
  if (codes === 'unsupported') return codes;
  return codes.includes(ctx.request.action) ? 'yes' : 'no';
}

/** Consent.provision.purpose: v3 ActReason, with specialisations covered by their parent. */
function purposeEntry(coding: Coding, ctx: MatchContext): Raw {
  const codes = codesIn([coding], CONSENT_SYSTEMS.actReason);
  if (codes === 'unsupported') return codes;
  return codes.some((code) => purposeSubsumes(code, ctx.request.purposeOfUse)) ? 'yes' : 'no';
}

/** Consent.provision.class: FHIR resource types. Profiles and document types are not judged. */
function classEntry(coding: Coding, ctx: MatchContext): Raw {
  const codes = codesIn([coding], CONSENT_SYSTEMS.resourceTypes);
  if (codes === 'unsupported') return codes;
  return codes.includes(ctx.request.resourceType) ? 'yes' : 'no';
}

/** Consent.provision.code: "if this code is found in an instance, then the rule applies". */
function codeEntry(concept: CodeableConcept, ctx: MatchContext): Raw {
  const wanted = (concept.coding ?? []).filter((c) => c.code);
  if (wanted.length === 0) return 'unsupported';
  const have = ctx.request.code;
  if (have === undefined) {
    ctx.unknown.add('code');
    return 'maybe';
  }
  return wanted.some((want) => have.some((h) => sameCode(want, h))) ? 'yes' : 'no';
}

/**
 * Consent.provision.data: specific resources. `instance` is the resource itself; `dependents`
 * also covers data that refers to it; `authoredby` covers data it authored; `related` also
 * covers what it refers to, which needs the referenced resource's content, so any other
 * resource cannot be judged and fails closed.
 */
function dataEntry(entry: ConsentProvisionData, ctx: MatchContext): Raw {
  const target = normalizeReference(entry.reference?.reference);
  if (target === undefined) return 'unsupported';
  const { resource, references, authors } = ctx.request;
  const unknown = (): Raw => {
    ctx.unknown.add('data');
    return 'maybe';
  };
  switch (entry.meaning) {
    case 'instance':
      return resource === undefined ? unknown() : resource === target ? 'yes' : 'no';
    case 'dependents':
      if (resource === target || references?.includes(target)) return 'yes';
      return resource === undefined || references === undefined ? unknown() : 'no';
    case 'authoredby':
      if (authors === undefined) return unknown();
      return authors.includes(target) ? 'yes' : 'no';
    case 'related':
      if (resource === undefined) return unknown();
      return resource === target ? 'yes' : 'unsupported';
    default:
      return 'unsupported';
  }
}

/**
 * Consent.provision.dataPeriod: the period of the data (not of the consent). A permit needs the
 * data's date wholly inside it; a deny applies when they overlap at all, so a date given only
 * to the month cannot slip a restricted day through.
 */
function dataPeriodMatch(provision: ConsentProvision, type: ProvisionType, ctx: MatchContext): Raw {
  const bounds = provision.dataPeriod;
  if (bounds === undefined) return 'yes';
  const period = periodInterval(bounds.start, bounds.end);
  if (period === undefined) return 'unsupported';
  if (ctx.request.date === undefined) {
    ctx.unknown.add('dataPeriod');
    return 'maybe';
  }
  const date = parseFhirTime(ctx.request.date);
  if (date === undefined) return 'unsupported';
  return (type === 'permit' ? within(date, period) : overlaps(date, period)) ? 'yes' : 'no';
}

/** Consent.provision.period of a nested rule: the rule holds only while `now` is inside it. */
function periodMatch(provision: ConsentProvision, ctx: MatchContext): Raw {
  if (provision.period === undefined) return 'yes';
  const position = positionIn(provision.period.start, provision.period.end, ctx.nowMs);
  return position === 'invalid' ? 'unsupported' : position === 'within' ? 'yes' : 'no';
}

/** An element's repeats, OR-ed; an absent or empty element matches. */
function each<T>(items: readonly T[] | undefined, type: ProvisionType, test: (item: T) => Raw): Match {
  return items === undefined || items.length === 0 ? 'yes' : anyOf(items.map(test), type);
}

/**
 * Matches one provision's own elements (not its nested provisions) against the request.
 * The root provision's period is the consent's window and is checked by the caller, so
 * `isRoot` skips it here.
 */
export function matchProvision(provision: ConsentProvision, type: ProvisionType, outer: MatchContext, isRoot: boolean): Match {
  // Unknowns count only when they leave this provision undecided, so note them locally first.
  const ctx: MatchContext = { ...outer, unknown: new Set() };
  const labels = ctx.request.securityLabels;
  const answer = allOf([
    each(provision.actor, type, (a) => actorEntry(a, ctx)),
    each(provision.action, type, (a) => actionEntry(a, ctx)),
    each(provision.securityLabel, type, (l) => (l.code ? (labelCovers(l, labels, type) ? 'yes' : 'no') : 'unsupported')),
    each(provision.purpose, type, (p) => purposeEntry(p, ctx)),
    each(provision.class, type, (c) => classEntry(c, ctx)),
    each(provision.code, type, (c) => codeEntry(c, ctx)),
    each(provision.data, type, (d) => dataEntry(d, ctx)),
    failClosed(dataPeriodMatch(provision, type, ctx), type),
    isRoot ? 'yes' : failClosed(periodMatch(provision, ctx), type),
  ]);
  if (answer === 'maybe') for (const element of ctx.unknown) outer.unknown.add(element);
  return answer;
}

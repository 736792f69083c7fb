/**
 * The proxy's act-and-filter steps for one authorised request, with the EHR and the consent
 * store as parameters (the route supplies a token-bearing fetch and a fresh consent load).
 *
 * Model: every judgement is made on what the request touches, not on what the client says.
 * - Type first: a type the consents withhold answers as empty (search), missing (read) or
 *   refused (write) before the EHR is asked.
 * - Writes are judged on the stored copy as well as the body: an update or delete first reads
 *   the resource; one outside the compartment or hidden from this user answers as missing,
 *   one this user may see but not change is refused. Security labels stay the EHR's. Every
 *   reference the body makes must stay in the patient's compartment.
 * - History is judged by the current version too: `vread` and `_history` answer as a read of
 *   the current version would, and each old version carries the current labels as well.
 * - Counts never count what consent withholds: under per-resource judgement `_summary=count`,
 *   `_count=0` and `_total=accurate` are recounted by fetching and filtering every match (up to
 *   RECOUNT_LIMIT, past which `count-unavailable`), and a page's `total` is recounted or left out.
 * - Release: the consents are loaded again after the EHR answered; if any changed (a
 *   revocation in flight), the answer is judged on the new ones.
 */
import type { Bundle, Coding, Communication, Consent, Resource } from '@medplum/fhirtypes';
import { recipientDecision } from './recipients';
import { checkMessageBody, checkMessageUpdate, CONTEXT_TYPES, filterResponse, inCompartment, keepSecurityLabels, parseFhirRequest, parseIfNoneExist, PATIENT_TYPES, ProxyError, referencesToVerify, rewriteUrl, authorizeWriteBody, type ParsedFhirRequest } from '../fhir';
import { applyConsent, decideForResource, decideForType, decidingConsents, permitsResource, withheldSearchset, CONSENT_TOTAL_SYSTEM, type ConsentAction, type ConsentContext } from './enforce';
import type { UpstreamResponse } from '../fhir/server';
import { localReference } from '../fhir/reference';
import type { Decision } from './types';

/** What the EHR answered: lib/fhir forwardToEhr's shape (a type only; nothing server-side is loaded). */
export type EhrAnswer = UpstreamResponse;

/** One request to the EHR with the launch's token; a refused token is the caller's to refresh. */
export type EhrCall = (req: ParsedFhirRequest, options?: { body?: string; ifMatch?: string | null; ifNoneExist?: string | null }) => Promise<EhrAnswer>;

export interface ProxyRequest {
  /** The request as authorised (scopes, compartment pin). */
  request: ParsedFhirRequest;
  patientId: string | null;
  /** The raw body of a create or update. */
  body?: string;
  ifMatch?: string | null;
  ifNoneExist?: string | null;
  /** The launch's verified user (`Patient/…`, `Practitioner/…`): who a message may be sent as. */
  fhirUser?: string | null;
  fhirBase: string;
  proxyBase: string;
}

export interface ProxyDeps {
  ehr: EhrCall;
  /** The patient's consents for this launch as they are now; called before the EHR is asked and again before release. */
  loadConsent: () => Promise<ConsentContext | null>;
}

/** What the route audits, filled in as the pipeline goes (also when it throws). */
export interface ProxyObservations {
  consent: ConsentContext | null;
  /** Consents (id and version) behind decisions that withheld or permitted something restricted. */
  decidedBy: { id: string; version?: string }[];
  hidden: number;
  alerts: number;
}

export interface ProxyAnswer {
  status: number;
  body: unknown;
  /** The EHR answer whose headers (ETag, Last-Modified, Retry-After…) go back with this one; null for an answer the proxy made itself. */
  from: EhrAnswer | null;
}

/** Matches a `_summary=count` or `_total=accurate` recount fetches at most (then refuses). */
export const RECOUNT_LIMIT = 2000;
const RECOUNT_PAGE = 200;

function note(seen: ProxyObservations, ctx: ConsentContext | null, ids: readonly string[]): void {
  for (const id of ids) {
    if (seen.decidedBy.some((d) => d.id === id)) continue;
    const version = ctx?.consents.find((c) => c.id === id)?.meta?.versionId;
    seen.decidedBy.push(version ? { id, version } : { id });
  }
}

/** True when the type decision leaves some resources to be judged one by one, so an EHR count may include withheld ones. */
function perResource(decision: Decision | undefined): boolean {
  return decision !== undefined && decision.obligations.some((o) => o.type !== 'audit-alert');
}

/** A stamp of the consents a decision was made on: any revocation, correction or new consent changes it. */
function consentStamp(ctx: ConsentContext | null): string {
  if (!ctx) return 'none';
  const consents = ctx.consents.map((c: Consent) => `${c.id ?? '?'}@${c.meta?.versionId ?? '?'}:${c.status}`).sort();
  return JSON.stringify([ctx.purposeOfUse, ctx.actor.reference, consents]);
}

function parseBody(text: string, resourceType: string): Resource {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProxyError('invalid-body', 'not JSON');
  }
  if (!json || typeof json !== 'object' || Array.isArray(json) || (json as Resource).resourceType !== resourceType) throw new ProxyError('invalid-body', 'resourceType does not match the path');
  return json as Resource;
}

const passOn = (a: EhrAnswer) => a.status === 401 || a.status === 429 || a.status >= 500;

/** A read of `Type/id` through the EHR, for the pipeline's own checks. */
function readOf(type: string, id: string): ParsedFhirRequest {
  return { interaction: 'read', resourceType: type, id, query: new URLSearchParams() };
}

function answer(a: EhrAnswer, body: unknown): ProxyAnswer {
  return { status: a.status, body, from: a };
}

/**
 * Runs one authorised request: consent for the type, the write checks, the EHR call, and the
 * response judged on the consents as they are at release. Throws ProxyError for refusals.
 */
export async function runProxyRequest(input: ProxyRequest, deps: ProxyDeps, seen: ProxyObservations): Promise<ProxyAnswer> {
  const req = input.request;
  const { patientId } = input;
  if (CONTEXT_TYPES.has(req.resourceType)) return readByContext(input, deps, seen);
  let consent = await deps.loadConsent();
  seen.consent = consent;
  const action: ConsentAction = req.interaction === 'create' ? 'collect' : req.interaction === 'update' || req.interaction === 'delete' ? 'correct' : 'access';
  const typeDecision = consent ? decideForType(consent, req.resourceType, action) : undefined;
  if (typeDecision?.decision === 'deny') {
    note(seen, consent, typeDecision.consentIds);
    if (req.interaction === 'search') throw new WithheldSearch(typeDecision);
    throw new ProxyError(action === 'access' ? 'not-found' : 'consent-denied');
  }

  // Writes: the body, the references it makes, the stored copy it replaces.
  let body = input.body;
  let payload: Resource | undefined;
  if (req.interaction === 'create' || req.interaction === 'update') {
    payload = parseBody(body ?? '', req.resourceType);
    authorizeWriteBody(req, payload, { patientId, fhirBase: input.fhirBase });
    if (req.interaction === 'create' && payload.resourceType === 'Communication') {
      const recipients = checkMessageBody(payload, { fhirUser: input.fhirUser ?? null });
      // Each recipient will read the message: one the patient's consents keep from their record is refused.
      if (consent) {
        for (const reference of recipients) {
          const { allowed, decision } = recipientDecision(consent, reference, payload as Communication);
          if (!allowed) {
            note(seen, consent, decision.consentIds);
            throw new ProxyError('recipient-not-allowed');
          }
        }
      }
    }
    if (patientId) {
      for (const ref of referencesToVerify(payload, { patientId, fhirBase: input.fhirBase })) {
        const [type, id] = ref.split('/') as [string, string];
        const target = await deps.ehr(readOf(type, id));
        if (passOn(target)) return answer(target, target.body);
        if (target.status !== 200 || !inCompartment(target.body as Resource, patientId, input.fhirBase)) throw new ProxyError('outside-compartment', `${type} reference`);
      }
    }
    if (consent) {
      const d = decideForResource(consent, payload, action);
      if (!permitsResource(d, payload)) {
        note(seen, consent, d.consentIds);
        throw new ProxyError('consent-denied');
      }
    }
  }
  if (req.interaction === 'create' && (payload?.meta?.security?.length ?? 0) > 0) throw new ProxyError('security-label-change');
  if (patientId && (req.interaction === 'update' || req.interaction === 'delete')) {
    const current = await deps.ehr(readOf(req.resourceType, req.id!));
    if (passOn(current)) return answer(current, current.body);
    if (current.status === 200) {
      const stored = current.body as Resource;
      if (!inCompartment(stored, patientId, input.fhirBase)) throw new ProxyError('not-found');
      if (consent) {
        // Hidden from this user: answered as missing, never overwritten or deleted blindly.
        const seenAs = decideForResource(consent, stored, 'access');
        if (!permitsResource(seenAs, stored)) {
          note(seen, consent, seenAs.consentIds);
          throw new ProxyError('not-found');
        }
        const change = decideForResource(consent, stored, 'correct');
        if (!permitsResource(change, stored)) {
          note(seen, consent, change.consentIds);
          throw new ProxyError('consent-denied');
        }
      }
      if (payload && stored.resourceType === 'Communication') payload = checkMessageUpdate(stored, payload, { fhirUser: input.fhirUser ?? null });
      if (payload) body = JSON.stringify(keepSecurityLabels(payload, stored));
    } else if (payload) {
      keepSecurityLabels(payload, null);
    }
  }

  // History answers as a read of the current version would, and is judged by its labels too.
  let alsoLabels: Coding[] | undefined;
  if (patientId && (req.interaction === 'vread' || req.interaction === 'history-instance')) {
    const current = await deps.ehr(readOf(req.resourceType, req.id!));
    if (passOn(current)) return answer(current, current.body);
    const resource = current.body as Resource;
    if (current.status !== 200 || !resource || !inCompartment(resource, patientId, input.fhirBase)) throw new ProxyError('not-found');
    if (consent) {
      const d = decideForResource(consent, resource, 'access');
      if (!permitsResource(d, resource)) {
        note(seen, consent, decidingConsents(d, true));
        throw new ProxyError('not-found');
      }
    }
    alsoLabels = Array.isArray(resource.meta?.security) ? resource.meta.security : [];
  }

  let ifNoneExist: string | null = null;
  if (req.interaction === 'create') {
    const criteria = parseIfNoneExist(req.resourceType, input.ifNoneExist ?? null);
    if (criteria && patientId) criteria.set(PATIENT_TYPES[req.resourceType]!.param, req.resourceType === 'Patient' ? patientId : `Patient/${patientId}`);
    ifNoneExist = criteria ? criteria.toString() : null;
  }

  const count = req.interaction === 'search' && (req.query.get('_summary') === 'count' || req.query.get('_total') === 'accurate' || req.query.get('_count') === '0');
  const upstream = count && perResource(typeDecision) ? null : await deps.ehr(req, { body, ifMatch: input.ifMatch ?? null, ifNoneExist });
  if (upstream && passOn(upstream)) return answer(upstream, upstream.body);

  // Release: judged on the consents as they are now, not as they were when the request began.
  const fresh = await deps.loadConsent();
  let decision = typeDecision;
  if (consentStamp(fresh) !== consentStamp(consent)) {
    consent = fresh;
    seen.consent = fresh;
    decision = consent ? decideForType(consent, req.resourceType, 'access') : undefined;
    if (decision?.decision === 'deny') {
      note(seen, consent, decision.consentIds);
      if (req.interaction === 'search') throw new WithheldSearch(decision);
      throw new ProxyError('not-found');
    }
  }

  if (count && consent && perResource(decision)) {
    const total = await recount(input, deps, consent, seen);
    if (req.query.get('_summary') === 'count' || req.query.get('_count') === '0') {
      const body: Bundle = { resourceType: 'Bundle', type: 'searchset', total, meta: { tag: [{ system: CONSENT_TOTAL_SYSTEM, code: 'recounted', display: 'total counts only what consent lets this user see' }] } };
      return { status: 200, body, from: null };
    }
    const page = upstream ?? (await deps.ehr(req, {}));
    if (passOn(page)) return answer(page, page.body);
    const judged = judge(input, page, consent, seen, alsoLabels, true);
    const out = judged as Bundle;
    return answer(page, out && out.resourceType === 'Bundle' ? { ...out, total, meta: { ...out.meta, tag: [...(out.meta?.tag ?? []).filter((t) => t.system !== CONSENT_TOTAL_SYSTEM), { system: CONSENT_TOTAL_SYSTEM, code: 'recounted' }] } } : judged);
  }
  // (A count the type decision meant to recount, when the consents changed so that it need not be.)
  const final = upstream ?? (await deps.ehr(req, { body, ifMatch: input.ifMatch ?? null, ifNoneExist }));
  if (passOn(final)) return answer(final, final.body);
  return answer(final, final.status < 300 || final.status === 304 ? judge(input, final, consent, seen, alsoLabels, perResource(decision)) : filterResponse(req, final.body, { patientId, fhirBase: input.fhirBase, proxyBase: input.proxyBase }));
}

function judge(input: ProxyRequest, a: EhrAnswer, consent: ConsentContext | null, seen: ProxyObservations, alsoLabels: Coding[] | undefined, totalAtRisk: boolean): unknown {
  const compartmental = filterResponse(input.request, a.body, { patientId: input.patientId, fhirBase: input.fhirBase, proxyBase: input.proxyBase });
  if (!consent) return compartmental;
  const searchType = input.request.interaction === 'search' ? input.request.resourceType : undefined;
  const judged = applyConsent(compartmental, consent, { alsoLabels, totalAtRisk, ...(searchType ? { searchType } : {}) });
  seen.hidden += judged.hidden;
  seen.alerts += judged.alerts;
  note(seen, consent, judged.consentIds);
  if (judged.withheld) throw new ProxyError('not-found');
  return judged.body;
}

/**
 * Counts the matches this user may see by fetching them: the search without its count
 * parameters, page by page through the EHR's own next links, each page filtered exactly as an
 * answer would be. Refuses past RECOUNT_LIMIT rather than give a count that could be wrong.
 */
async function recount(input: ProxyRequest, deps: ProxyDeps, consent: ConsentContext, seen: ProxyObservations): Promise<number> {
  const query = new URLSearchParams(input.request.query);
  for (const p of ['_summary', '_total', '_count', '_offset', '_include', '_sort']) query.delete(p);
  query.set('_count', String(RECOUNT_PAGE));
  let next: ParsedFhirRequest | undefined = { ...input.request, query };
  let fetched = 0;
  let total = 0;
  while (next) {
    const page = await deps.ehr(next, {});
    if (page.status !== 200) throw new ProxyError(page.status === 401 ? 'launch-ended' : 'upstream-error', 'while counting');
    const bundle = page.body as Bundle;
    const matches = (bundle?.entry ?? []).filter((e) => e.search?.mode !== 'include');
    fetched += matches.length;
    if (fetched > RECOUNT_LIMIT) throw new ProxyError('count-unavailable');
    const kept = judge(input, page, consent, seen, undefined, false) as Bundle;
    total += (kept?.entry ?? []).filter((e) => e.search?.mode !== 'include').length;
    next = nextPage(bundle, input);
    if (next && matches.length === 0) break;
  }
  return total;
}

/** The EHR's next link as a request, when it points back at the same search under the FHIR base. */
function nextPage(bundle: Bundle, input: ProxyRequest): ParsedFhirRequest | undefined {
  const url = bundle?.link?.find((l) => l.relation === 'next')?.url;
  const local = rewriteUrl(url, input.fhirBase, '');
  if (!local) return undefined;
  const parsed = new URL(local, 'http://proxy.invalid');
  const req = parseFhirRequest('GET', parsed.pathname.split('/').filter(Boolean), parsed.searchParams);
  if (req.interaction !== 'search' || req.resourceType !== input.request.resourceType) return undefined;
  return req;
}

/** `Type/id` of a securityContext reference, relative or absolute under the EHR's FHIR base; undefined otherwise. */
function contextKey(reference: unknown, fhirBase: string): [string, string] | undefined {
  const local = localReference(reference, fhirBase);
  return local ? [local.type, local.id] : undefined;
}

/**
 * A Binary (document content) belongs to no compartment: it is released only as the resource
 * its `securityContext` names would be (R4 §Binary: "use in place of the Binary when making
 * access control decisions"). That resource is read too, and must be the launch's patient or in
 * their compartment; consent judges it (its labels and type) and the Binary's own labels, on the
 * consents as they are after both reads. A Binary without a context, or with one outside the
 * EHR, answers as missing: nothing says whose it is, so it fails closed.
 */
async function readByContext(input: ProxyRequest, deps: ProxyDeps, seen: ProxyObservations): Promise<ProxyAnswer> {
  const req = input.request;
  const { patientId } = input;
  const early = await deps.loadConsent();
  seen.consent = early;
  const typeDecision = early ? decideForType(early, req.resourceType, 'access') : undefined;
  if (typeDecision?.decision === 'deny') {
    note(seen, early, typeDecision.consentIds);
    throw new ProxyError('not-found');
  }
  const upstream = await deps.ehr(req);
  if (passOn(upstream)) return answer(upstream, upstream.body);
  if (upstream.status !== 200) return answer(upstream, filterResponse(req, upstream.body, { patientId: null, fhirBase: input.fhirBase, proxyBase: input.proxyBase }));
  const binary = upstream.body as Resource & { securityContext?: { reference?: unknown } };
  if (!binary || binary.resourceType !== req.resourceType) throw new ProxyError('upstream-error', 'the EHR answered another type');
  const key = contextKey(binary.securityContext?.reference, input.fhirBase);
  let context: Resource | undefined;
  if (key && key[0] === 'Patient') {
    if (patientId && key[1] !== patientId) throw new ProxyError('not-found');
  } else if (key && key[0] in PATIENT_TYPES) {
    const found = await deps.ehr(readOf(key[0], key[1]));
    if (passOn(found)) return answer(found, found.body);
    context = found.body as Resource;
    if (found.status !== 200 || context?.resourceType !== key[0] || (patientId && !inCompartment(context, patientId, input.fhirBase))) throw new ProxyError('not-found');
  } else if (patientId || key === undefined) {
    throw new ProxyError('not-found');
  }
  const consent = await deps.loadConsent();
  seen.consent = consent;
  if (consent) {
    // The Binary's own labels, when it has any; otherwise its context speaks for it.
    const ownLabels = (binary.meta?.security?.length ?? 0) > 0 ? binary : undefined;
    for (const [resource, checkType] of [[context, true], [ownLabels, false]] as const) {
      if (!resource) continue;
      if (checkType) {
        const d = decideForType(consent, resource.resourceType, 'access');
        if (d.decision === 'deny') {
          note(seen, consent, d.consentIds);
          throw new ProxyError('not-found');
        }
      }
      const d = decideForResource(consent, resource, 'access');
      if (!permitsResource(d, resource)) {
        note(seen, consent, decidingConsents(d, true));
        throw new ProxyError('not-found');
      }
    }
    const again = decideForType(consent, req.resourceType, 'access');
    if (again.decision === 'deny') {
      note(seen, consent, again.consentIds);
      throw new ProxyError('not-found');
    }
  }
  return answer(upstream, binary);
}

/** A search whose whole type consent withholds: the route answers the empty, tagged searchset. */
export class WithheldSearch extends Error {
  readonly body: Bundle;
  constructor(readonly decision: Decision) {
    super('withheld-search');
    this.name = 'WithheldSearch';
    this.body = withheldSearchset(decision);
  }
}

import type { Resource } from '@medplum/fhirtypes';
import type { ResourceGrant, Permission } from './grants';
import { inCompartment, PATIENT_TYPES, SHARED_TYPES } from './compartment';
import { ProxyError } from './outcome';
import type { Interaction, ParsedFhirRequest } from './parse-request';

const PERMISSION: Record<Interaction, Permission> = {
  read: 'r', vread: 'r', 'history-instance': 'r', search: 's', create: 'c', update: 'u', delete: 'd',
};

const WRITES = new Set<Interaction>(['create', 'update', 'delete']);

function applicable(grants: ResourceGrant[], type: string, p: Permission): ResourceGrant[] {
  return grants.filter((g) => (g.resourceType === '*' || g.resourceType === type) && g.permissions.has(p));
}

function allowed(grants: ResourceGrant[], type: string, p: Permission): boolean {
  return applicable(grants, type, p).some((g) => !g.restriction);
}

/** A token value asked for is within an allowed one: equal, or `system|code` under an allowed bare `code`. */
function tokenWithin(value: string, allowedValues: string[]): boolean {
  return allowedValues.some((a) => a === value || (!a.includes('|') && value.includes('|') && value.slice(value.indexOf('|') + 1) === a));
}

/**
 * A search under grants restricted by search parameters (SMART v2 granular scopes): it must fall
 * within one of them. A restricted parameter the search names must stay inside the granted
 * values; one it leaves out is pinned to them (`category=laboratory` added), so what the EHR
 * returns is never wider than the grant. The first grant the search fits decides.
 */
function narrowSearch(query: URLSearchParams, grants: ResourceGrant[], type: string): URLSearchParams {
  for (const g of grants) {
    const narrowed = new URLSearchParams(query);
    const fits = Object.entries(g.restriction!).every(([name, values]) => {
      const asked = query.getAll(name);
      if (asked.length === 0) {
        narrowed.set(name, values.join(','));
        return true;
      }
      // Repeated parameters are AND-ed: one inside the grant is enough.
      return asked.some((v) => v.split(',').every((x) => tokenWithin(x, values)));
    });
    if (fits) return narrowed;
  }
  throw new ProxyError('scope-not-granted', `${type}.s outside the granted ${grants.map((g) => Object.keys(g.restriction!).join('&')).join(' or ')}`);
}

/**
 * A search's patient value names the launch's patient: its id or `Patient/{id}`. Absolute URLs
 * are refused before this (parse-request.ts); any other prefix (`x/Patient/{id}`) is a value the
 * EHR may read as another server's patient or as no filter at all, and it would also stop the
 * proxy pinning its own.
 */
function samePatient(value: string, patientId: string): boolean {
  return value === patientId || value === `Patient/${patientId}`;
}

/**
 * Step three of the pipeline (scopes and patient compartment; consent joins here later).
 * Returns the request as it may be sent: searches are pinned to the launch's patient, and a
 * search naming another patient is refused outright. Reads are checked after the fetch.
 * Under a SMART v2 granular grant (`patient/Observation.rs?category=laboratory`) and no
 * unrestricted one for the type, only searches within the restriction pass (the restricted
 * parameter pinned when left out); anything else is `scope-not-granted` before it leaves.
 * `asked`, the scopes Housecall asks this issuer for, caps the grant: what the EHR granted
 * beyond them (a v1 `.write` that also means delete) is refused the same way.
 */
export function authorizeFhirRequest(req: ParsedFhirRequest, ctx: { patientId: string | null; grants: ResourceGrant[]; asked?: ResourceGrant[] }): ParsedFhirRequest {
  const permission = PERMISSION[req.interaction];
  const grants = applicable(ctx.grants, req.resourceType, permission);
  if (grants.length === 0) throw new ProxyError('scope-not-granted', `${req.resourceType}.${permission}`);
  // Never more than Housecall asked for: a v1 server grants `.write` (create, update and delete)
  // for a `.cru` Housecall asked, and the delete it never wanted must not pass on that grant.
  if (ctx.asked && applicable(ctx.asked, req.resourceType, permission).length === 0) throw new ProxyError('scope-not-granted', `${req.resourceType}.${permission} was not asked for`);
  if (!grants.some((g) => !g.restriction)) {
    // Only restricted grants: a search can be kept inside them; a read or write by id cannot be
    // judged before the EHR answers, so it is refused (fails closed).
    if (req.interaction !== 'search') throw new ProxyError('scope-not-granted', `${req.resourceType}.${permission} is granted for searches within a restriction only`);
    req = { ...req, query: narrowSearch(req.query, grants, req.resourceType) };
  }
  for (const inc of req.query.getAll('_include')) {
    const target = inc === 'Observation:performer' ? 'Practitioner' : 'Medication';
    if (!allowed(ctx.grants, target, 'r')) throw new ProxyError('scope-not-granted', `${target}.r`);
  }
  // A write to a Patient is for the launch's own patient, whatever the token allows (a v1
  // `patient/Patient.write` grants delete too): DELETE Patient/B never leaves the proxy.
  if (ctx.patientId && req.resourceType === 'Patient' && WRITES.has(req.interaction) && req.id !== ctx.patientId) throw new ProxyError('outside-compartment', 'Patient');
  if (!ctx.patientId || SHARED_TYPES.has(req.resourceType) || req.interaction !== 'search') return req;

  const def = PATIENT_TYPES[req.resourceType]!;
  const query = new URLSearchParams(req.query);
  const patientParams = req.resourceType === 'Patient' ? ['_id'] : ['patient', 'subject', 'for', 'actor'];
  for (const name of patientParams) {
    for (const value of query.getAll(name)) {
      for (const v of value.split(',')) if (!samePatient(v, ctx.patientId)) throw new ProxyError('outside-compartment', name);
    }
  }
  if (req.resourceType === 'Patient') {
    query.set('_id', ctx.patientId);
  } else if (![...patientParams].some((n) => query.has(n))) {
    query.set(def.param, `Patient/${ctx.patientId}`);
  }
  return { ...req, query };
}

/**
 * A write's body, judged before it leaves for the EHR: an update names the resource of its path,
 * and a launch with a patient writes only inside that patient's compartment (a body naming
 * another patient is refused here, not left to the EHR to catch).
 */
export function authorizeWriteBody(req: ParsedFhirRequest, body: { resourceType: string; id?: string }, ctx: { patientId: string | null; fhirBase: string }): void {
  if (req.interaction === 'update' && body.id !== req.id) throw new ProxyError('invalid-body', 'the id in the body differs from the path');
  if (ctx.patientId && !inCompartment(body as Resource, ctx.patientId, ctx.fhirBase)) throw new ProxyError('outside-compartment', 'body');
}

import type { Resource } from '@medplum/fhirtypes';
import type { ResourceGrant, Permission } from './grants';
import { inCompartment, PATIENT_TYPES, SHARED_TYPES } from './compartment';
import { ProxyError } from './outcome';
import type { Interaction, ParsedFhirRequest } from './parse-request';

const PERMISSION: Record<Interaction, Permission> = {
  read: 'r', vread: 'r', 'history-instance': 'r', search: 's', create: 'c', update: 'u', delete: 'd',
};

const WRITES = new Set<Interaction>(['create', 'update', 'delete']);

function allowed(grants: ResourceGrant[], type: string, p: Permission): boolean {
  return grants.some((g) => (g.resourceType === '*' || g.resourceType === type) && g.permissions.has(p));
}

function samePatient(value: string, patientId: string): boolean {
  return value === patientId || value === `Patient/${patientId}` || value.endsWith(`/Patient/${patientId}`);
}

/**
 * Step three of the pipeline (scopes and patient compartment; consent joins here later).
 * Returns the request as it may be sent: searches are pinned to the launch's patient, and a
 * search naming another patient is refused outright. Reads are checked after the fetch.
 */
export function authorizeFhirRequest(req: ParsedFhirRequest, ctx: { patientId: string | null; grants: ResourceGrant[] }): ParsedFhirRequest {
  const permission = PERMISSION[req.interaction];
  if (!allowed(ctx.grants, req.resourceType, permission)) throw new ProxyError('scope-not-granted', `${req.resourceType}.${permission}`);
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
export function authorizeWriteBody(req: ParsedFhirRequest, body: { resourceType: string; id?: string }, ctx: { patientId: string | null }): void {
  if (req.interaction === 'update' && body.id !== req.id) throw new ProxyError('invalid-body', 'the id in the body differs from the path');
  if (ctx.patientId && !inCompartment(body as Resource, ctx.patientId)) throw new ProxyError('outside-compartment', 'body');
}

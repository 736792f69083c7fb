/**
 * Patient-compartment checks for `patient/` scopes.
 *
 * A resource belongs to patient P when its owner parameter references `Patient/P`: the
 * type's `patient` search parameter if it has one, else `subject`, else the parameters the
 * FHIR Patient CompartmentDefinition lists. Actor parameters (performer, author) are not
 * used, so a patient never reaches another patient's record through who performed it.
 * Shared types (Medication, Practitioner, Organization, ...) belong to no patient and are
 * readable by any token with a matching scope; every other type outside the compartment is
 * closed to patient tokens.
 */
import type { SearchRequest } from '@medplum/core';
import { Operator, getSearchParameters, matchesSearchRequest } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import { loadDefinitions } from './definitions';

export const SHARED_TYPES: ReadonlySet<string> = new Set([
  'Medication',
  'Practitioner',
  'PractitionerRole',
  'Organization',
  'Location',
  'HealthcareService',
  'Substance',
]);

/**
 * Types in no compartment whose access follows the resource their `securityContext` names
 * (R4 Binary.securityContext): a patient token may read one by id when that resource is the
 * patient or lies in the patient's compartment, and may never search them (as Epic and Oracle
 * Health serve document content).
 */
export const CONTEXT_TYPES: ReadonlySet<string> = new Set(['Binary']);

function targetsPatient(resourceType: string, code: string): boolean {
  const param = getSearchParameters(resourceType)?.[code];
  return param?.type === 'reference' && (param.target ?? []).includes('Patient');
}

/** The search parameters that tie a resource of this type to its patient, or [] if none. */
export function ownerParams(resourceType: string): string[] {
  if (resourceType === 'Patient') return ['_id'];
  const listed = loadDefinitions().patientCompartment.get(resourceType);
  if (!listed) return [];
  if (targetsPatient(resourceType, 'patient')) return ['patient'];
  if (targetsPatient(resourceType, 'subject')) return ['subject'];
  return listed.filter((code) => targetsPatient(resourceType, code));
}

/** Every parameter through which a search could name a patient (owner and compartment parameters). */
export function patientNamingParams(resourceType: string): Set<string> {
  const names = new Set(ownerParams(resourceType));
  for (const code of loadDefinitions().patientCompartment.get(resourceType) ?? []) names.add(code);
  for (const code of ['patient', 'subject']) if (targetsPatient(resourceType, code)) names.add(code);
  return names;
}

export function isSharedType(resourceType: string): boolean {
  return SHARED_TYPES.has(resourceType);
}

/** True when the resource is in patient `patientId`'s compartment (by its owner parameters). */
export function inPatientCompartment(resource: Resource, patientId: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  const value = `Patient/${patientId}`;
  return ownerParams(resource.resourceType).some((code) => {
    const request: SearchRequest = { resourceType: resource.resourceType, filters: [{ code, operator: Operator.EQUALS, value }] };
    return matchesSearchRequest(resource, request);
  });
}

/** Finds a stored resource by type and id (a context type's `securityContext`); undefined when unknown or deleted. */
export type ResolveResource = (resourceType: string, id: string) => Resource | undefined;

/** Whether a token confined to `patientId` may see this resource at all. */
export function visibleToPatient(resource: Resource, patientId: string, resolve?: ResolveResource): boolean {
  if (CONTEXT_TYPES.has(resource.resourceType)) {
    const m = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec((resource as { securityContext?: { reference?: string } }).securityContext?.reference ?? '');
    if (!m || !resolve) return false;
    if (m[1] === 'Patient') return m[2] === patientId;
    const context = m[1] && m[2] && !CONTEXT_TYPES.has(m[1]) ? resolve(m[1], m[2]) : undefined;
    return context !== undefined && inPatientCompartment(context, patientId);
  }
  return isSharedType(resource.resourceType) || inPatientCompartment(resource, patientId);
}

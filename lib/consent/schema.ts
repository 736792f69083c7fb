/**
 * The consent decision request: what the proxy (or a sync commit) asks `decide()`. Parsed with
 * this schema at the server boundary; the type everywhere else is `z.output` of it, so the
 * engine never sees an unchecked shape.
 */
import { z } from 'zod';
import { CONSENT_ACTIONS } from './codes';

/** A relative FHIR reference `Type/id` (R4 Reference.reference, id syntax of R4 §2.1.0). */
const relativeReference = z.string().regex(/^[A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64}$/, 'expected Type/id');

/** A FHIR date, dateTime or instant: a time is allowed only with seconds and a zone, as R4 requires. */
const fhirDateTime = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2}))?)?)?$/, 'expected a FHIR date or dateTime');

/** A Coding with a code (R4 Coding); the system is optional as it is in R4. */
export const codingSchema = z.object({
  system: z.string().min(1).optional(),
  version: z.string().optional(),
  code: z.string().min(1).max(256),
  display: z.string().max(1024).optional(),
});

/** Who is asking: Consent.provision.actor is matched against this. */
export const actorSchema = z.strictObject({
  /** The requester itself: Practitioner/…, PractitionerRole/…, Organization/…, RelatedPerson/…, Device/…, Patient/…. */
  reference: relativeReference,
  /** Role codes the requester holds (e.g. SNOMED CT or practitioner-role codes). */
  roles: z.array(codingSchema).max(50).default([]),
  /** Organizations, CareTeams and Groups the requester belongs to, resolved by the adapter. */
  memberOf: z.array(relativeReference).max(100).default([]),
  /**
   * False when the launch could not prove who the requester is (no verified `fhirUser`): an
   * ambiguous actor. Every provision that names an actor then fails closed (checklist #24):
   * a restriction naming anyone applies, a share names no one this requester is known to be.
   */
  verified: z.boolean().optional(),
});

/**
 * A request to judge. Unknown keys are refused rather than stripped: a misspelt
 * `securityLabel` dropped in silence would hide the data's labels and widen access. Attributes of the data that are unknown before it is fetched (its date,
 * codes, own reference) may be absent; `decide()` then answers for every value they could take
 * and, where the answer depends on them, permits with a `decide-per-resource` obligation.
 */
export const decisionRequestSchema = z.strictObject({
  /** The patient whose record is touched, `Patient/id`. */
  patient: relativeReference.refine((ref) => ref.startsWith('Patient/'), 'expected Patient/id'),
  actor: actorSchema,
  /** v3 ActReason purpose of use (TREAT, ETREAT, BTG, PATRQT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, …). */
  purposeOfUse: z.string().regex(/^[A-Z]{2,20}$/, 'expected a v3 ActReason code'),
  /** http://terminology.hl7.org/CodeSystem/consentaction */
  action: z.enum(CONSENT_ACTIONS),
  resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
  /** The data's meta.security: confidentiality, sensitivity and purpose-of-use labels. */
  securityLabels: z.array(codingSchema).max(100).default([]),
  /** The clinically relevant date of the data, when known. */
  date: fhirDateTime.optional(),
  /** The data's codes (e.g. Observation.code codings), when known. */
  code: z.array(codingSchema).max(100).optional(),
  /** The data's own reference, `Type/id`, when known. */
  resource: relativeReference.optional(),
  /** References the data makes (subject, encounter, basedOn, …), when known. */
  references: z.array(relativeReference).max(500).optional(),
  /** The data's authors (recorder, performer, author, …), when known. */
  authors: z.array(relativeReference).max(100).optional(),
});

/** A request as sent (defaults not yet applied). */
export type DecisionRequestInput = z.input<typeof decisionRequestSchema>;
/** A parsed request, as `decide()` takes it. */
export type DecisionRequest = z.output<typeof decisionRequestSchema>;
/** The requester, as `decide()` takes it. */
export type DecisionActor = DecisionRequest['actor'];

import { z } from 'zod';

const practitionerId = z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/);
const resourceType = z.string().regex(/^[A-Z][A-Za-z]{1,63}$/);

/** What a patient can record from the sharing centre. */
export const newConsentSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('restrict-practitioner'),
    practitionerId,
    /** The exact text the patient saw and confirmed; kept on the Consent (CONSENT_PREVIEW_EXTENSION). */
    preview: z.string().min(1).max(4000).optional(),
  }),
  /** The patient's own default for whatever their other choices do not cover: `deny` is "only the people I share with". */
  z.strictObject({ kind: z.literal('patient-default'), rule: z.enum(['permit', 'deny']) }),
  z.strictObject({ kind: z.literal('restrict-labels'), labels: z.array(z.enum(['PSY', 'SUD', 'ETH', 'HIV', 'SEX', 'R', 'V'])).min(1).max(7) }),
  z.strictObject({
    kind: z.literal('share-with-practitioner'),
    practitionerId,
    resourceTypes: z.array(resourceType).min(1).max(20),
    days: z.number().int().min(1).max(365),
    /** The exact text the patient saw and confirmed; kept on the Consent (CONSENT_PREVIEW_EXTENSION). */
    preview: z.string().min(1).max(4000).optional(),
  }),
]);

export type NewConsent = z.infer<typeof newConsentSchema>;

/** How a consent is ended: revoked (default) or marked recorded in error. */
export const endingSchema = z.enum(['revoked', 'entered-in-error']).default('revoked');

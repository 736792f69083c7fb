import { z } from 'zod';

/** The data types a partner share link may show. */
export const SHAREABLE_TYPES = ['AllergyIntolerance', 'Condition', 'MedicationRequest', 'Observation', 'Immunization'] as const;

/** A patient's new share link: which types, and for how many hours (at most a week). */
export const newShareLinkSchema = z.strictObject({
  resourceTypes: z.array(z.enum(SHAREABLE_TYPES)).min(1).max(SHAREABLE_TYPES.length),
  hours: z.number().int().min(1).max(168),
});

import { z } from 'zod';

/** A staff member's reason for an action: plain words, no clinical data (it goes into the audit trail). */
const reason = z.string().trim().min(3, 'give a reason of at least 3 characters').max(200, 'keep the reason under 200 characters');

/** Every staff action that changes something is confirmed and explained. */
export const endLaunchSchema = z.object({ reason, confirm: z.literal('yes') });
export const heldActionSchema = z.object({ action: z.enum(['release', 'discard']), reason, confirm: z.literal('yes') });
export const revealSchema = z.object({ which: z.enum(['user', 'patient']), reason });

export type HeldAction = z.infer<typeof heldActionSchema>['action'];

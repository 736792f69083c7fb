import { z } from 'zod';
import { HELD_LIMITS, heldHandoverSchema } from '@/lib/sync';

/** POST: the unsent outbox entries of a lapsed launch (lib/sync held-changes.ts). */
export const handoverSchema = heldHandoverSchema;

/** DELETE: the entries this device has in its outbox again. */
export const releaseSchema = z.strictObject({ ids: z.array(z.string().min(1).max(100)).min(1).max(HELD_LIMITS.entries * 5) });

/** Largest request body read, in characters. */
export const MAX_BODY = HELD_LIMITS.bytes;

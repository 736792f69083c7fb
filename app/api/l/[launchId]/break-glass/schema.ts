import { z } from 'zod';

/** A clinician's break-glass request: a stated reason and a time limit (at most an hour). */
export const breakGlassSchema = z.strictObject({
  reason: z.string().trim().min(10, 'Say why emergency access is needed (at least 10 characters).').max(500),
  minutes: z.number().int().min(1).max(60).default(60),
});

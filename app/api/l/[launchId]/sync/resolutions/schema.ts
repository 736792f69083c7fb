import { z } from 'zod';

const reference = z.string().regex(/^[A-Z][A-Za-z]{1,63}\/[A-Za-z0-9\-.]{1,64}$/, 'resource must be Type/id');
const fieldPath = z.string().min(1).max(200).regex(/^[A-Za-z0-9_[\]|.:()@+#\- ]+$/, 'field paths name fields, never values');

/**
 * How a sync conflict was settled, as lib/sync records it (`ResolutionAudit`): a person's decision
 * (`resolveConflict`: keep theirs, keep mine, edit, reapply) or an automatic merge (`mergeAudit`,
 * with the fields each side changed). `who` is accepted but not trusted: the server records the
 * launch's user.
 */
export const resolutionSchema = z.strictObject({
  kind: z.literal('sync-conflict-resolution'),
  who: z.string().max(200),
  when: z.iso.datetime(),
  entryId: z.string().min(1).max(100),
  resource: reference,
  mutation: z.string().max(100).optional(),
  decision: z.enum(['keep-theirs', 'keep-mine', 'edit', 'reapply', 'auto-merge']),
  fields: z.array(fieldPath).max(50),
  theirsFields: z.array(fieldPath).max(50).optional(),
  baseVersion: z.string().max(64).regex(/^[A-Za-z0-9\-.:]+$/, 'a version is an id').optional(),
  theirsVersion: z.string().max(64).regex(/^[A-Za-z0-9\-.:]+$/, 'a version is an id').optional(),
});

export type ResolutionInput = z.infer<typeof resolutionSchema>;

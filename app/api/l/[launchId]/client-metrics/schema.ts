import { z } from 'zod';

const count = z.number().int().min(0).max(1_000_000);
const typeName = z.string().regex(/^[A-Z][A-Za-z]{1,63}$/);
const code = z.string().regex(/^[a-z0-9-]{1,64}$/);

/**
 * A client's PHI-free sync report (lib/sync/metrics.ts ClientMetrics): counts, ages, type names,
 * booleans. Conflicts, failures, retries, drops and evictions are what is new since the client's
 * last report, so the server adds them to its counters; the rest is the state now.
 */
export const clientMetricsSchema = z.strictObject({
  queueDepth: count,
  byState: z.strictObject({ pending: count, 'in-flight': count, synced: count, failed: count, 'needs-review': count }),
  oldestPendingAgeMs: z.number().min(0).max(365 * 86_400_000),
  conflictsByResourceType: z.record(typeName, count).refine((r) => Object.keys(r).length <= 50),
  failuresByCode: z.record(code, count).refine((r) => Object.keys(r).length <= 50),
  retries: count,
  dropped: count,
  evicted: count,
  damaged: count.default(0),
  cacheAgeMs: z.record(z.enum(['reference', 'clinical', 'drafts', 'operational']), z.number().min(0).nullable()),
  persistent: z.boolean(),
  persistenceGranted: z.boolean(),
  downloadsFailing: z.record(typeName, code).refine((r) => Object.keys(r).length <= 50).default({}),
});

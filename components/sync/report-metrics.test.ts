import { describe, expect, it, vi } from 'vitest';
import type { RecordStore } from '@/lib/offline';
import { clientMetricsSchema } from '../../app/api/l/[launchId]/client-metrics/schema';
import { createMetricsReporter } from './report-metrics';

const empty = { count: 0 };
const records = {
  stats: async () => ({ reference: empty, clinical: { count: 1, newest: 1_000 }, drafts: empty, operational: empty }),
  counters: () => ({ dropped: 0, evicted: 0 }),
} as unknown as RecordStore;

describe('createMetricsReporter', () => {
  it('reports the persistence answer at once when it changes, otherwise at most once a minute, in the schema the server accepts', async () => {
    let t = 10_000;
    const post = vi.fn(async () => new Response(null, { status: 204 }));
    const reporter = createMetricsReporter({ launchId: 'L1234567890123456', engine: { records, persistent: true }, now: () => t, post: post as unknown as typeof fetch });
    reporter.update([], false);
    reporter.update([], false);
    t += 1_000;
    reporter.update([], true);
    t += 30_000;
    reporter.countRetry();
    reporter.update([], true);
    t += 60_000;
    reporter.update([], true);
    await vi.waitFor(() => expect(post).toHaveBeenCalledTimes(3));
    const bodies = post.mock.calls.map((c) => JSON.parse((c as unknown as [string, RequestInit])[1].body as string));
    expect(bodies.map((b) => b.persistenceGranted)).toEqual([false, true, true]);
    expect(bodies[2].retries).toBe(1);
    for (const b of bodies) expect(clientMetricsSchema.safeParse(b).success).toBe(true);
    expect((post.mock.calls[0] as unknown as [string])[0]).toBe('/api/l/L1234567890123456/client-metrics');
  });
});

import { describe, expect, it, vi } from 'vitest';
import type { RecordStore } from '@/lib/offline';
import { clientMetricsSchema } from '../../app/api/l/[launchId]/client-metrics/schema';
import type { OutboxEntry } from '@/lib/sync';
import { createMetricsReporter } from './report-metrics';

const empty = { count: 0 };
const store = { dropped: 0, evicted: 0, damaged: 0 };
const records = {
  stats: async () => ({ reference: empty, clinical: { count: 1, newest: 1_000 }, drafts: empty, operational: empty }),
  counters: () => ({ ...store }),
} as unknown as RecordStore;

describe('createMetricsReporter', () => {
  it('reports the persistence answer at once when it changes, otherwise at most once a minute, in the schema the server accepts', async () => {
    let t = 10_000;
    const post = vi.fn(async () => new Response(null, { status: 204 }));
    const reporter = createMetricsReporter({ launchId: 'L1234567890123456', engine: { records, persistent: true, downloadsFailing: () => ({ Observation: 'http-400' }) }, now: () => t, post: post as unknown as typeof fetch });
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
    // The types the EHR refuses to download, as state: in every report while they fail.
    expect(bodies.map((b) => b.downloadsFailing)).toEqual([{ Observation: 'http-400' }, { Observation: 'http-400' }, { Observation: 'http-400' }]);
    for (const b of bodies) expect(clientMetricsSchema.safeParse(b).success).toBe(true);
    expect((post.mock.calls[0] as unknown as [string])[0]).toBe('/api/l/L1234567890123456/client-metrics');
  });

  it('each report carries only what is new since the last, so the server can add reports up', async () => {
    let t = 0;
    const post = vi.fn(async () => new Response(null, { status: 204 }));
    const reporter = createMetricsReporter({ launchId: 'L1234567890123456', engine: { records, persistent: true, downloadsFailing: () => ({}) }, now: () => t, post: post as unknown as typeof fetch });
    const review: OutboxEntry = { id: 'e1', op: 'update', resourceType: 'Patient', resourceId: 'p', payload: null, idempotencyKey: 'k', attempts: 1, nextAttemptAt: 0, state: 'needs-review', createdAt: 0, conflict: { theirs: null, fields: [], detectedAt: 5 } };
    const failed: OutboxEntry = { ...review, id: 'e2', resourceType: 'DocumentReference', state: 'failed', lastError: { code: 'scope-not-granted', status: 403 } };
    reporter.countRetry();
    reporter.countRetry();
    store.dropped = 1;
    store.damaged = 1;
    reporter.update([review, failed], false);
    await vi.waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    t += 60_000;
    reporter.countRetry();
    reporter.update([review, failed], false); // the same conflict and failure, still waiting
    await vi.waitFor(() => expect(post).toHaveBeenCalledTimes(2));
    t += 60_000;
    const again = { ...review, conflict: { theirs: null, fields: [], detectedAt: 99 } }; // kept mine, and met the EHR's edit again
    store.dropped = 3;
    reporter.update([again], false);
    await vi.waitFor(() => expect(post).toHaveBeenCalledTimes(3));
    const bodies = post.mock.calls.map((c) => JSON.parse((c as unknown as [string, RequestInit])[1].body as string));
    expect(bodies.map((b) => [b.retries, b.dropped, b.conflictsByResourceType, b.failuresByCode])).toEqual([
      [2, 1, { Patient: 1 }, { 'scope-not-granted': 1 }],
      [1, 0, {}, {}],
      [0, 2, { Patient: 1 }, {}],
    ]);
    expect(bodies.map((b) => b.queueDepth)).toEqual([2, 2, 1]); // the state now, in every report
    expect(bodies.map((b) => b.damaged)).toEqual([1, 0, 0]); // issue 12: damaged unsent work is counted once
    for (const b of bodies) expect(clientMetricsSchema.safeParse(b).success).toBe(true);
  });
});

describe('failing downloads', () => {
  it('are reported at once when they change, not a minute later', async () => {
    let failing: Record<string, string> = {};
    const post = vi.fn(async () => new Response(null, { status: 204 }));
    const reporter = createMetricsReporter({ launchId: 'L1234567890123456', engine: { records, persistent: true, downloadsFailing: () => failing }, now: () => 0, post: post as unknown as typeof fetch });
    reporter.update([], false);
    failing = { MedicationStatement: 'http-400' };
    reporter.update([], false);
    reporter.update([], false);
    await vi.waitFor(() => expect(post).toHaveBeenCalledTimes(2));
    const bodies = post.mock.calls.map((c) => JSON.parse((c as unknown as [string, RequestInit])[1].body as string));
    expect(bodies.map((b) => b.downloadsFailing)).toEqual([{}, { MedicationStatement: 'http-400' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { clientMetricsSchema } from '../../app/api/l/[launchId]/client-metrics/schema';
import { metrics, recordClientMetrics } from './metrics';

const report = {
  queueDepth: 2, byState: { pending: 2, 'in-flight': 0, synced: 5, failed: 0, 'needs-review': 1 }, oldestPendingAgeMs: 90_000,
  conflictsByResourceType: { Patient: 1 }, failuresByCode: { 'scope-not-granted': 1 }, retries: 3, dropped: 0, evicted: 0,
  cacheAgeMs: { reference: 1000, clinical: 60_000, drafts: null, operational: null }, persistent: true, persistenceGranted: false,
};

describe('client sync metrics', () => {
  it('accept a PHI-free report and become Prometheus series labelled by issuer', async () => {
    const parsed = clientMetricsSchema.parse(report);
    recordClientMetrics('sandbox', parsed);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/housecall_client_sync_conflicts_total\{issuer="sandbox",resource_type="Patient"\} 1/);
    expect(text).toMatch(/housecall_client_sync_failures_total\{issuer="sandbox",code="scope-not-granted"\} 1/);
    expect(text).toMatch(/housecall_client_sync_queue_depth_count\{issuer="sandbox"\} 1/);
    expect(text).toMatch(/housecall_client_sync_retries_total\{issuer="sandbox"\} 3/);
    recordClientMetrics('sandbox', clientMetricsSchema.parse({ ...report, retries: 2, dropped: 1, evicted: 4, damaged: 2 }));
    const after = await metrics.registry.metrics();
    expect(after).toMatch(/housecall_client_sync_retries_total\{issuer="sandbox"\} 5/);
    expect(after).toMatch(/housecall_client_cache_dropped_total\{issuer="sandbox"\} 1/);
    expect(after).toMatch(/housecall_client_outbox_damaged_total\{issuer="sandbox"\} 2/);
    expect(after).toMatch(/housecall_client_cache_evicted_total\{issuer="sandbox"\} 4/);
  });
  it('refuse free text where only type names and codes belong', () => {
    expect(clientMetricsSchema.safeParse({ ...report, conflictsByResourceType: { 'Ada Testcase': 1 } }).success).toBe(false);
    expect(clientMetricsSchema.safeParse({ ...report, failuresByCode: { 'MRN-100001': 1 } }).success).toBe(false);
    expect(clientMetricsSchema.safeParse({ ...report, patient: 'pat-001' }).success).toBe(false);
  });
});

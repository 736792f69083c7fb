import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { processSingleton } from '../process-singleton';

/**
 * Prometheus metrics. Labels are issuer ids, outcome codes and resource types: never a
 * patient, a user or a launch id (unbounded and identifying).
 */
function create() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'housecall_process_' });
  return {
    registry,
    launches: new Counter({ name: 'housecall_launches_total', help: 'Launch outcomes by issuer and outcome code', labelNames: ['issuer', 'outcome'] as const, registers: [registry] }),
    refreshes: new Counter({ name: 'housecall_refreshes_total', help: 'Token refresh outcomes by issuer', labelNames: ['issuer', 'outcome'] as const, registers: [registry] }),
    proxy: new Histogram({
      name: 'housecall_proxy_duration_seconds', help: 'FHIR proxy latency by interaction and outcome', labelNames: ['interaction', 'resource_type', 'outcome'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
    }),
    consentDenials: new Counter({ name: 'housecall_consent_denials_total', help: 'Requests or resources withheld by consent', labelNames: ['resource_type'] as const, registers: [registry] }),
    syncQueueDepth: new Histogram({ name: 'housecall_client_sync_queue_depth', help: 'Outbox entries not yet synced, as clients report them', labelNames: ['issuer'] as const, buckets: [0, 1, 2, 5, 10, 25, 50, 100], registers: [registry] }),
    syncOldestPendingSeconds: new Histogram({ name: 'housecall_client_sync_oldest_pending_seconds', help: 'Age of the oldest unsynced change on a client', labelNames: ['issuer'] as const, buckets: [0, 10, 60, 300, 900, 3600, 21600, 86400], registers: [registry] }),
    syncConflicts: new Counter({ name: 'housecall_client_sync_conflicts_total', help: 'Conflicts clients reported, by resource type', labelNames: ['issuer', 'resource_type'] as const, registers: [registry] }),
    syncFailures: new Counter({ name: 'housecall_client_sync_failures_total', help: 'Failed outbox entries clients reported, by outcome code', labelNames: ['issuer', 'code'] as const, registers: [registry] }),
    syncCacheAgeSeconds: new Histogram({ name: 'housecall_client_cache_age_seconds', help: 'Age of the newest cached data per data class', labelNames: ['issuer', 'data_class'] as const, buckets: [60, 600, 3600, 21600, 86400, 259200, 2592000], registers: [registry] }),
    syncRetries: new Counter({ name: 'housecall_client_sync_retries_total', help: 'Outbox sends clients retried (429, 503, 5xx, network)', labelNames: ['issuer'] as const, registers: [registry] }),
    cacheDropped: new Counter({ name: 'housecall_client_cache_dropped_total', help: 'Cached records clients dropped because they failed to decrypt (and fetch again)', labelNames: ['issuer'] as const, registers: [registry] }),
    outboxDamaged: new Counter({ name: 'housecall_client_outbox_damaged_total', help: 'Unsent changes or drafts clients found undecryptable and kept for the person to discard', labelNames: ['issuer'] as const, registers: [registry] }),
    cacheEvicted: new Counter({ name: 'housecall_client_cache_evicted_total', help: 'Cached records clients evicted for lack of space', labelNames: ['issuer'] as const, registers: [registry] }),
    syncPersistence: new Counter({ name: 'housecall_client_storage_reports_total', help: 'Client reports by storage mode', labelNames: ['issuer', 'persistent', 'persistence_granted'] as const, registers: [registry] }),
    unusualAccess: new Gauge({ name: 'housecall_unusual_access_findings', help: 'Unusual-access findings now (npm run audit:alerts names the users), by rule and issuer', labelNames: ['rule', 'issuer'] as const, registers: [registry] }),
    cspViolations: new Counter({ name: 'housecall_csp_violations_total', help: 'Content-Security-Policy violations browsers reported, by directive and kind of source (inline, eval, self, external…)', labelNames: ['directive', 'blocked'] as const, registers: [registry] }),
    breakGlass: new Counter({ name: 'housecall_break_glass_total', help: 'Break-glass activations', labelNames: ['issuer'] as const, registers: [registry] }),
    // The audit log (lib/store audit-store.ts): an instance extends its own hash chain, so the lock
    // wait (another writer holding this chain) should stay about zero however many instances run.
    auditLockWait: new Histogram({ name: 'housecall_audit_lock_wait_seconds', help: 'Time an audit batch waited for another writer of its chain (the database lock)', buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1], registers: [registry] }),
    auditAppend: new Histogram({ name: 'housecall_audit_append_seconds', help: 'Time from an audit append to the commit of its batch (group commit: the response waits for it)', buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers: [registry] }),
    auditBatchSize: new Histogram({ name: 'housecall_audit_batch_size', help: 'Audit events written per transaction (group commit)', buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256], registers: [registry] }),
  };
}

export const metrics = processSingleton('metrics', create);

/** A client's report; conflicts, failures, retries, drops and evictions are what is new since its last one. */
export interface ClientMetricsReport {
  queueDepth: number;
  oldestPendingAgeMs: number;
  conflictsByResourceType: Record<string, number>;
  failuresByCode: Record<string, number>;
  retries: number;
  dropped: number;
  evicted: number;
  damaged?: number;
  cacheAgeMs: Partial<Record<string, number | null>>;
  persistent: boolean;
  persistenceGranted: boolean;
}

/** Folds one client report into the metrics; the caller has validated its shape. */
export function recordClientMetrics(issuer: string, r: ClientMetricsReport): void {
  metrics.syncQueueDepth.observe({ issuer }, r.queueDepth);
  metrics.syncOldestPendingSeconds.observe({ issuer }, r.oldestPendingAgeMs / 1000);
  for (const [resource_type, n] of Object.entries(r.conflictsByResourceType)) if (n > 0) metrics.syncConflicts.inc({ issuer, resource_type }, n);
  for (const [code, n] of Object.entries(r.failuresByCode)) if (n > 0) metrics.syncFailures.inc({ issuer, code }, n);
  if (r.retries > 0) metrics.syncRetries.inc({ issuer }, r.retries);
  if (r.dropped > 0) metrics.cacheDropped.inc({ issuer }, r.dropped);
  if (r.evicted > 0) metrics.cacheEvicted.inc({ issuer }, r.evicted);
  if ((r.damaged ?? 0) > 0) metrics.outboxDamaged.inc({ issuer }, r.damaged);
  for (const [data_class, age] of Object.entries(r.cacheAgeMs)) if (typeof age === 'number') metrics.syncCacheAgeSeconds.observe({ issuer, data_class }, age / 1000);
  metrics.syncPersistence.inc({ issuer, persistent: String(r.persistent), persistence_granted: String(r.persistenceGranted) });
}

/** Sets the unusual-access gauge to the findings now: every rule and issuer seen before is reset, so a finding that passed goes back to 0. */
export function recordUnusualAccess(findings: readonly { rule: string; issuerId: string }[]): void {
  metrics.unusualAccess.reset();
  for (const f of findings) metrics.unusualAccess.inc({ rule: f.rule, issuer: f.issuerId });
}

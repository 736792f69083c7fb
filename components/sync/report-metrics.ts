import { metricsSnapshot, reportKey } from '@/lib/sync/metrics';
import type { OutboxEntry } from '@/lib/sync/outbox';
import type { SyncEngine } from './open-sync-engine';

/** Sends the PHI-free sync health (lib/sync metrics.ts) to the launch's client-metrics endpoint. */
export interface MetricsReporter {
  /** After the outbox or the persistence answer changed; sends at once when that answer or the failing downloads are new, else at most once a minute. */
  update(outbox: readonly OutboxEntry[], persistenceGranted: boolean): void;
  countRetry(): void;
}

const INTERVAL_MS = 60_000;

export function createMetricsReporter({ launchId, engine, now = Date.now, post = fetch }: { launchId: string; engine: Pick<SyncEngine, 'records' | 'persistent' | 'downloadsFailing'>; now?: () => number; post?: typeof fetch }): MetricsReporter {
  let retries = 0;
  let lastSent = -Infinity;
  let lastGranted: boolean | undefined;
  let lastFailing = '{}';
  // What earlier reports counted: the server adds reports up, so each one carries only what is new.
  const sent = { retries: 0, dropped: 0, evicted: 0, damaged: 0 };
  const reported = new Set<string>();
  return {
    countRetry() {
      retries += 1;
    },
    update(outbox, persistenceGranted) {
      const t = now();
      const downloadsFailing = engine.downloadsFailing();
      const failing = JSON.stringify(downloadsFailing);
      if (persistenceGranted === lastGranted && failing === lastFailing && t - lastSent < INTERVAL_MS) return;
      lastGranted = persistenceGranted;
      lastFailing = failing;
      lastSent = t;
      // Taken now, not when the cache stats arrive: what a later call counts belongs to its own report.
      const total = { retries, ...engine.records.counters() };
      const counters = { retries: total.retries - sent.retries, dropped: total.dropped - sent.dropped, evicted: total.evicted - sent.evicted, damaged: (total.damaged ?? 0) - sent.damaged };
      const already = new Set(reported);
      Object.assign(sent, total);
      for (const e of outbox) if (e.state === 'needs-review' || e.state === 'failed') reported.add(reportKey(e));
      void engine.records
        .stats()
        .then((cache) => {
          const snapshot = metricsSnapshot({ outbox, cache, counters, now: t, persistent: engine.persistent, persistenceGranted, reported: already, downloadsFailing });
          return post(`/api/l/${encodeURIComponent(launchId)}/client-metrics`, {
            method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(snapshot), credentials: 'same-origin', keepalive: true,
          });
        })
        .catch(() => undefined);
    },
  };
}

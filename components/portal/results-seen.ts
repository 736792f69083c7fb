'use client';
import { useEffect, useState } from 'react';
import { loadOfflineRuntime } from '@/components/sync/load-offline';
import type { PartitionOwner } from '@/lib/offline';

/** The operational record that says when this patient last opened the results page, in the partition's encrypted store. */
const SEEN = { type: 'housecall:portal', id: 'results-seen' } as const;

/**
 * When the patient last opened the results page on this device (ISO time), kept per partition
 * (issuer, user, patient) in the encrypted browser store, never in a URL: `undefined` while it
 * is read, `null` when never (or when the store cannot be opened). With `markNow`, the time is
 * read first and then set to now, so the page that marks it can still show what was new.
 */
export function useResultsSeen(owner: PartitionOwner | undefined, markNow = false): string | null | undefined {
  const [since, setSince] = useState<string | null | undefined>(undefined);
  const { issuer, fhirUser, patient } = owner ?? { issuer: '', fhirUser: '', patient: '' };
  useEffect(() => {
    if (!issuer) {
      setSince(null);
      return;
    }
    let cancelled = false;
    void (async () => {
      try {
        const records = await (await loadOfflineRuntime()).openPartition({ issuer, fhirUser, patient });
        const row = await records.get<{ at?: unknown }>(SEEN.type, SEEN.id);
        const at = typeof row?.value.at === 'string' ? row.value.at : null;
        if (!cancelled) setSince(at);
        if (markNow && !cancelled) await records.write({ put: [{ cls: 'operational', ...SEEN, value: { at: new Date().toISOString() } }] });
      } catch {
        if (!cancelled) setSince(null);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [issuer, fhirUser, patient, markNow]);
  return since;
}

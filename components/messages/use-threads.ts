'use client';
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { useCallback, useMemo } from 'react';
import { MESSAGES_SEARCH, toThreads, type ThreadView } from '@/lib/fhir/compose/messages';
import type { OutboxEntry } from '@/lib/sync';
import { IDEMPOTENCY_SYSTEM } from '@/lib/sync/idempotency';
import { useFhir } from '@/components/fhir/use-fhir';
import { useOptionalSync } from '@/components/sync/sync-provider';

/**
 * The launch's message threads: the EHR's messages read through the proxy (and the device cache
 * when offline), with the messages still in the outbox shown in their threads and read receipts
 * not yet sent already applied. `entryFor` gives the outbox entry of a message of mine not yet
 * settled, for its stage (waiting, failed, needs review).
 */
export function useThreads(launchId: string, me: string) {
  const sync = useOptionalSync();
  const answer = useFhir<Bundle>(launchId, MESSAGES_SEARCH);
  const entries: readonly OutboxEntry[] = sync?.entries ?? [];
  const threads = useMemo((): ThreadView[] => {
    const server = (answer.data?.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Communication' ? [e.resource as Communication] : []));
    const open = entries.filter((e) => e.state !== 'synced' && e.payload?.resourceType === 'Communication');
    const keys = new Set(server.flatMap((c) => (c.identifier ?? []).filter((i) => i.system === IDEMPOTENCY_SYSTEM).map((i) => i.value)));
    const reads = new Map(open.filter((e) => e.mutation === 'markMessageRead').map((e) => [e.resourceId, (e.payload as Communication).received]));
    const local = open.filter((e) => e.mutation === 'sendMessage' && !keys.has(e.idempotencyKey)).map((e) => e.payload as Communication);
    const shown = server.map((c) => (c.id && reads.get(c.id) ? { ...c, received: reads.get(c.id) } : c));
    return toThreads([...shown, ...local], me);
  }, [answer.data, entries, me]);
  const entryFor = useCallback((messageId: string) => entries.find((e) => e.mutation === 'sendMessage' && e.localId === messageId && e.state !== 'synced'), [entries]);
  return { threads, entryFor, isLoading: answer.isLoading, outcome: answer.outcome, fromCache: answer.fromCache, fetchedAt: answer.fetchedAt, sync };
}

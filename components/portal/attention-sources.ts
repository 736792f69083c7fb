'use client';
import { useMemo } from 'react';
import type { Bundle } from '@medplum/fhirtypes';
import { APPOINTMENTS_PATH, MESSAGES_SEARCH, SUMMARY_REQUESTS } from '@/lib/fhir/compose/search-paths';
import { answerGap } from '@/lib/fhir/compose/answer-gap';
import { ATTENTION_GAPS, newResultItems, outboxItems, type AttentionFound } from '@/lib/portal/attention';
import { useFhir } from '@/components/fhir/use-fhir';
import { useOptionalSync } from '@/components/sync/sync-provider';
import { useNow } from '@/components/ui/use-now';
import { laterChunk, useLaterChunk } from '@/components/ui/later-chunk';
import { usePortal } from './portal-context';
import { useResultsSeen } from './results-seen';

/**
 * One source of the home's attention items: a hook, called on every render of the home, that
 * returns its items, what it could not find out (a gap), or undefined while it is still finding out.
 */
export type AttentionSource = (launchId: string) => AttentionFound;

/**
 * What reads and explains a result (its words, and the descriptions of laboratory tests) arrives
 * as a chunk of its own while the results and the device's "last seen" load (later-chunk.ts).
 */
const explainCode = laterChunk(() => import('./attention-results'));
/** How unread messages and the next appointment become lines, likewise (attention-later.ts). */
const laterLines = laterChunk(() => import('./attention-later'));

/** Results issued since the patient last opened the results page (recent ones on a first visit). */
export const useNewResultAttention: AttentionSource = (launchId) => {
  const portal = usePortal();
  const shared = portal?.parts.results !== false;
  const now = useNow();
  const labs = useFhir<Bundle>(launchId, shared ? SUMMARY_REQUESTS.labs : null);
  const since = useResultsSeen(portal?.owner);
  const explain = useLaterChunk(explainCode);
  return useMemo(() => {
    if (!shared) return { gap: ATTENTION_GAPS.resultsNotShared };
    if (since === undefined || labs.isLoading) return undefined;
    if (!labs.data || !labs.fetchedAt) return labs.outcome ? { gap: ATTENTION_GAPS.resultsFailed } : [];
    if (!explain) return undefined;
    const items = newResultItems(launchId, explain.newResultsIn(labs.data, { source: portal?.source ?? '', fetchedAt: labs.fetchedAt }, since, now));
    // Nothing new to show from an answer the EHR cut short is not "nothing new".
    return items.length === 0 && answerGap(labs.data) === 'withheld' ? { gap: ATTENTION_GAPS.resultsWithheld } : items;
  }, [shared, since, labs.isLoading, labs.data, labs.fetchedAt, labs.outcome, portal?.source, launchId, now, explain]);
};

/** Changes on this device not yet taken by the EHR (the existing outbox and its review page). */
export const useOutboxAttention: AttentionSource = (launchId) => {
  const sync = useOptionalSync();
  return useMemo(() => (sync && sync.ready ? outboxItems(launchId, sync.summary) : sync ? undefined : []), [sync, launchId]);
};

/** Messages from the care team the patient has not opened (`/portal/messages`): the messages page's own request and answer. */
export const useMessageAttention: AttentionSource = (launchId) => {
  const shared = usePortal()?.parts.messages !== false;
  const { data, isLoading, outcome } = useFhir<Bundle>(launchId, shared ? MESSAGES_SEARCH : null);
  const lines = useLaterChunk(laterLines);
  return useMemo(() => {
    if (!shared) return { gap: ATTENTION_GAPS.messagesNotShared };
    if (data) return lines ? lines.unreadItems(data, launchId) : undefined;
    return isLoading ? undefined : outcome ? { gap: ATTENTION_GAPS.messagesFailed } : [];
  }, [shared, data, isLoading, outcome, launchId, lines]);
};

/** The next appointment, when there is one (`/portal/appointments`); nothing while it loads or when it cannot be read. */
export const useAppointmentAttention: AttentionSource = (launchId) => {
  const { data, fetchedAt } = useFhir<Bundle>(launchId, APPOINTMENTS_PATH);
  const lines = useLaterChunk(laterLines);
  const now = useNow();
  return useMemo(() => {
    const next = data && lines ? lines.nextAppointmentFrom(data, fetchedAt ?? '', launchId, now) : null;
    return next ? [next] : [];
  }, [data, fetchedAt, lines, launchId, now]);
};

/**
 * Every source, in the order their items are listed (urgent ones go first whatever their source).
 * The list is fixed at build time, so the hooks are always called in the same order.
 */
export const ATTENTION_SOURCES: readonly AttentionSource[] = [useNewResultAttention, useMessageAttention, useAppointmentAttention, useOutboxAttention];

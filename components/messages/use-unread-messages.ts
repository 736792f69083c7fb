'use client';
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { useMemo } from 'react';
import { MESSAGES_SEARCH, toThreads } from '@/lib/fhir';
import { useFhir } from '@/components/fhir/use-fhir';

/** One line of the portal home's "needs your attention" list. */
export interface UnreadMessagesItem {
  kind: 'messages';
  title: string;
  detail?: string;
  href: string;
}

/**
 * Unread messages from the care team, for the portal home: one item per thread with unread
 * messages, newest first, linking to the thread. The same request (and cached answer) as the
 * messages page. The reader is the patient the messages are about.
 */
export function useUnreadMessages(launchId: string): UnreadMessagesItem[] {
  const { data } = useFhir<Bundle>(launchId, MESSAGES_SEARCH);
  return useMemo(() => {
    const list = (data?.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Communication' ? [e.resource as Communication] : []));
    const me = list.find((c) => c.subject?.reference?.startsWith('Patient/'))?.subject?.reference;
    if (!me) return [];
    return toThreads(list, me)
      .filter((t) => t.unread > 0)
      .map((t) => {
        const from = t.messages.filter((m) => m.unread).map((m) => m.from);
        return {
          kind: 'messages' as const,
          title: t.unread === 1 ? `New message from ${from[0]}` : `${t.unread} new messages from ${[...new Set(from)].join(', ')}`,
          detail: t.topic,
          href: `/l/${launchId}/portal/messages/${encodeURIComponent(t.id)}`,
        };
      });
  }, [data, launchId]);
}

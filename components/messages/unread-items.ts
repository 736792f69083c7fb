import type { Bundle, Communication } from '@medplum/fhirtypes';
import { toThreads } from '@/lib/fhir/compose/messages';

/** One line of the portal home's "needs your attention" list. */
export interface UnreadMessagesItem {
  kind: 'messages';
  title: string;
  detail?: string;
  href: string;
}

/**
 * One item per thread with messages the patient has not read, newest activity first, linking to
 * the thread. The reader is the patient the messages are about. Pure.
 */
export function unreadItems(bundle: Bundle | undefined, launchId: string): UnreadMessagesItem[] {
  const list = (bundle?.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Communication' ? [e.resource as Communication] : []));
  const me = list.find((c) => c.subject?.reference?.startsWith('Patient/'))?.subject?.reference;
  if (!me) return [];
  return toThreads(list, me)
    .filter((t) => t.unread > 0)
    .map((t) => {
      const from = [...new Set(t.messages.filter((m) => m.unread).map((m) => m.from))];
      return {
        kind: 'messages' as const,
        title: t.unread === 1 ? `New message from ${from[0]}` : `${t.unread} new messages from ${from.join(', ')}`,
        detail: t.topic,
        href: `/l/${launchId}/portal/messages/${encodeURIComponent(t.id)}`,
      };
    });
}

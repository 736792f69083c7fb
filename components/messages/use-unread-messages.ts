'use client';
import type { Bundle } from '@medplum/fhirtypes';
import { useMemo } from 'react';
import { MESSAGES_SEARCH } from '@/lib/fhir/compose/messages';
import { useFhir } from '@/components/fhir/use-fhir';
import { unreadItems, type UnreadMessagesItem } from './unread-items';

export type { UnreadMessagesItem } from './unread-items';

/**
 * Unread messages from the care team, for the portal home (unread-items.ts): the same request,
 * and so the same cached answer, as the messages page.
 */
export function useUnreadMessages(launchId: string): UnreadMessagesItem[] {
  const { data } = useFhir<Bundle>(launchId, MESSAGES_SEARCH);
  return useMemo(() => unreadItems(data, launchId), [data, launchId]);
}

'use client';
import type { Attachment } from '@medplum/fhirtypes';
import type { PartitionOwner } from '@/lib/offline';
import { loadOfflineRuntime } from '@/components/sync/load-offline';

/** Row type of message drafts in the encrypted store (data class `drafts`: never swept or evicted). */
export const MESSAGE_DRAFT_TYPE = 'housecall:message-draft';

/** What a person has typed and chosen, before pressing Send. */
export interface MessageDraft {
  text: string;
  topic?: string;
  recipient?: { reference: string; name: string };
  attachments: (Attachment & { contentType: string; data: string; size: number; title: string })[];
  updatedAt: string;
}

/** The draft's key: the thread it answers, or `new` for a new conversation. */
export type DraftKey = string;

/**
 * The launch's message drafts, in the partition's encrypted store (lib/offline, AES-GCM), so a
 * reload, a crash or going offline loses nothing; memory-only where the browser refuses storage
 * (the partition says so: `persistent`). Wiped with the rest of the partition at sign-out.
 */
export function messageDrafts(owner: PartitionOwner) {
  return {
    async load(key: DraftKey): Promise<{ draft: MessageDraft | undefined; persistent: boolean }> {
      const store = await (await loadOfflineRuntime()).openPartition(owner);
      const row = await store.get<MessageDraft>(MESSAGE_DRAFT_TYPE, key);
      return { draft: row?.value, persistent: store.persistent };
    },
    async save(key: DraftKey, draft: MessageDraft): Promise<void> {
      const store = await (await loadOfflineRuntime()).openPartition(owner);
      await store.write({ put: [{ cls: 'drafts', type: MESSAGE_DRAFT_TYPE, id: key, value: draft }] });
    },
    async remove(key: DraftKey): Promise<void> {
      const store = await (await loadOfflineRuntime()).openPartition(owner);
      await store.write({ remove: [{ type: MESSAGE_DRAFT_TYPE, id: key }] });
    },
  };
}

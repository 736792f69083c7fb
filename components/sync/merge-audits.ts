import type { RecordStore } from '@/lib/offline';
import type { ResolutionAudit } from '@/lib/sync';

/** Record type of automatic-merge audits waiting to reach the server's audit log. */
export const MERGE_AUDIT_TYPE = 'housecall:merge-audit';

/** Sends one audit record; true once the server stored it. */
export type AuditPost = (audit: ResolutionAudit) => Promise<boolean>;

/**
 * The audit trail of automatic merges (DESIGN §1 Sync: every resolution is audited). A merge
 * happens inside a sync round, possibly with the audit endpoint out of reach; each record is
 * first kept in the partition (operational, never evicted) and then sent, oldest first, until
 * one is refused: what is not yet sent goes at the next round.
 */
export function createMergeAudits(records: Pick<RecordStore, 'write' | 'list'>, post: AuditPost, who: string) {
  return {
    async keep(audits: readonly ResolutionAudit[] | undefined): Promise<void> {
      if (!audits?.length) return;
      await records.write({ put: audits.map((a) => ({ cls: 'operational' as const, type: MERGE_AUDIT_TYPE, id: `${a.entryId}@${a.when}`, value: { ...a, who } })) });
    },
    async send(): Promise<number> {
      const waiting = (await records.list<ResolutionAudit>({ type: MERGE_AUDIT_TYPE })).sort((a, b) => (a.value.when < b.value.when ? -1 : 1));
      let sent = 0;
      for (const row of waiting) {
        if (!(await post(row.value).catch(() => false))) break;
        await records.write({ remove: [{ type: MERGE_AUDIT_TYPE, id: row.id }] });
        sent += 1;
      }
      return sent;
    },
  };
}

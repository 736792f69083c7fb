import 'server-only';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Kysely, Transaction } from 'kysely';
import { metrics } from '../telemetry';
import { anchorHash, AUDIT_HASH_VERSION, chainHash, GENESIS_HASH, sortHeads, type AnchorHead, type NewAuditRow } from './audit-chain';
import { verifyAuditLog, type ChainCheck } from './audit-verify';
import type { PatientKey } from './patient-key';
import type { AuditEventTable, Database } from './schema';

/** How the adapters keep writers apart (lib/store index.ts). */
export interface AuditLocks {
  /** Taken first in every append transaction, for this chain only; resolves to the seconds it waited for another holder. */
  chain?: (trx: Transaction<Database>, chainId: string) => Promise<number>;
  /** Taken first when writing an anchor, fleet-wide (an anchor is rare: once an interval per instance). */
  anchors?: (trx: Transaction<Database>) => Promise<void>;
}

/** The most events one transaction writes. */
const MAX_BATCH = 256;

interface PendingAppend {
  row: NewAuditRow;
  queuedAt: number;
  resolve(row: AuditEventTable): void;
  reject(error: unknown): void;
}

/**
 * The audit log's rows. Each store instance (each app process) extends a hash chain of its own,
 * registered in audit_chains with its first rows, so appends from different instances never wait
 * on each other; `anchor()` ties the chains together and `verify()` walks them all.
 *
 * Appends are group-committed: while one transaction is being written, the appends that arrive
 * queue, and the next transaction writes them all; every caller's promise settles only when the
 * transaction holding its row has committed (or failed), so nothing is served on an audit event
 * that is not durable. Nothing here updates or deletes a row.
 */
export class AuditStore {
  /** This instance's chain: new for every store opened, so no two processes ever share one. */
  readonly chainId = randomUUID();
  private head: { seq: number; hash: string } | undefined;
  private registered = false;
  private readonly queue: PendingAppend[] = [];
  private writing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly locks: AuditLocks = {},
    private readonly now: () => number = Date.now,
    private readonly label = `${os.hostname()}:${process.pid}`,
  ) {}

  append(row: NewAuditRow): Promise<AuditEventTable> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row, queuedAt: performance.now(), resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const written = await this.write(batch.map((p) => p.row));
          const done = performance.now();
          metrics.auditBatchSize.observe(batch.length);
          for (const [i, p] of batch.entries()) {
            metrics.auditAppend.observe((done - p.queuedAt) / 1000);
            p.resolve(written[i]!);
          }
        } catch (error) {
          // Nothing is known of the head now (a commit whose answer was lost may have written it): read it again next time.
          this.head = undefined;
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /** Writes one batch in one transaction, extending this chain; the head moves only once it has committed. */
  private async write(rows: NewAuditRow[]): Promise<AuditEventTable[]> {
    const { full, head } = await this.db.transaction().execute(async (trx) => {
      metrics.auditLockWait.observe((await this.locks.chain?.(trx, this.chainId)) ?? 0);
      if (!this.registered) {
        await trx.insertInto('audit_chains').values({ chain_id: this.chainId, started_at: this.now(), label: this.label, anchored_seq: 0 }).onConflict((oc) => oc.column('chain_id').doNothing()).execute();
      }
      let head = this.head ?? (await this.readHead(trx));
      const full = rows.map((row) => {
        const position = { chain_id: this.chainId, chain_seq: head.seq + 1 };
        const hash = chainHash(head.hash, { ...row, ...position }, AUDIT_HASH_VERSION);
        const r = { ...row, ...position, prev_hash: head.hash, hash, hash_version: AUDIT_HASH_VERSION };
        head = { seq: position.chain_seq, hash };
        return r;
      });
      const assigned = await trx.insertInto('audit_events').values(full).returning(['id', 'seq']).execute();
      const seqOf = new Map(assigned.map((a) => [a.id, Number(a.seq)]));
      return { full: full.map((r) => ({ ...r, seq: seqOf.get(r.id)! })), head };
    });
    this.head = head;
    this.registered = true;
    return full;
  }

  private async readHead(trx: Transaction<Database>): Promise<{ seq: number; hash: string }> {
    const last = await trx.selectFrom('audit_events').select(['chain_seq', 'hash']).where('chain_id', '=', this.chainId).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
    return last ? { seq: Number(last.chain_seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
  }

  /**
   * Writes an anchor recording the head of every chain that moved since the last one (any
   * instance's, not only this one's), linked to the previous anchor. Returns null when no chain
   * moved. Rows cut from a chain's tail after its last anchor are the one loss `verify` cannot see.
   */
  async anchor(): Promise<{ seq: number; heads: AnchorHead[] } | null> {
    return this.db.transaction().execute(async (trx) => {
      await this.locks.anchors?.(trx);
      const chains = await trx.selectFrom('audit_chains').select(['chain_id', 'anchored_seq']).execute();
      const moved: AnchorHead[] = [];
      for (const c of chains) {
        const head = await trx.selectFrom('audit_events').select(['chain_seq', 'hash']).where('chain_id', '=', c.chain_id).where('chain_seq', '>', Number(c.anchored_seq)).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
        if (head) moved.push([c.chain_id, Number(head.chain_seq), head.hash]);
      }
      if (moved.length === 0) return null;
      const last = await trx.selectFrom('audit_anchors').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const seq = (last ? Number(last.seq) : 0) + 1;
      const prev = last?.hash ?? GENESIS_HASH;
      const recordedAt = this.now();
      const heads = sortHeads(moved);
      await trx.insertInto('audit_anchors').values({ seq, recorded_at: recordedAt, heads: JSON.stringify(heads), prev_hash: prev, hash: anchorHash(prev, seq, recordedAt, heads) }).execute();
      for (const [chainId, chainSeq] of heads) await trx.updateTable('audit_chains').set({ anchored_seq: chainSeq }).where('chain_id', '=', chainId).execute();
      return { seq, heads };
    });
  }

  /** The patient's events at their issuer, newest first (the patient's access history). */
  async listForPatient(key: PatientKey, limit = 100): Promise<AuditEventTable[]> {
    return this.db.selectFrom('audit_events').selectAll().where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).orderBy('seq', 'desc').limit(limit).execute();
  }

  /**
   * Events recorded after `since` with the user and issuer of their launch (for unusual-access
   * rules: lib/audit unusual-access.ts); events without a launch are left out. Identifiers only.
   */
  async withActorsSince(since: number): Promise<{ recordedAt: number; patientId: string | null; outcome: string; category: string; fhirUser: string | null; issuerId: string }[]> {
    const rows = await this.db
      .selectFrom('audit_events')
      .innerJoin('launches', 'launches.id', 'audit_events.launch_id')
      .select(['audit_events.recorded_at', 'audit_events.patient_id', 'audit_events.outcome', 'audit_events.category', 'launches.fhir_user', 'launches.issuer_id'])
      .where('audit_events.recorded_at', '>', since)
      .execute();
    return rows.map((r) => ({ recordedAt: Number(r.recorded_at), patientId: r.patient_id, outcome: r.outcome, category: r.category, fhirUser: r.fhir_user, issuerId: r.issuer_id }));
  }

  /** One launch's events, newest first (the staff console's launch page). */
  async listForLaunch(launchId: string, limit = 200): Promise<AuditEventTable[]> {
    return this.db.selectFrom('audit_events').selectAll().where('launch_id', '=', launchId).orderBy('seq', 'desc').limit(limit).execute();
  }

  async listRecent(limit = 100): Promise<AuditEventTable[]> {
    return this.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(limit).execute();
  }

  /** Walks the anchors and every chain and reports the first thing that does not verify (lib/store audit-verify.ts). */
  verify(): Promise<ChainCheck> {
    return verifyAuditLog(this.db);
  }
}

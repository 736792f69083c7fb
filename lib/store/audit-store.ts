import 'server-only';
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AuditEventTable, Database } from './schema';

export const GENESIS_HASH = '0'.repeat(64);

export type NewAuditRow = Omit<AuditEventTable, 'seq' | 'prev_hash' | 'hash'>;

export function chainHash(prevHash: string, row: NewAuditRow): string {
  const canonical = JSON.stringify([row.id, row.recorded_at, row.patient_id, row.launch_id, row.category, row.outcome, row.body]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export type ChainCheck = { ok: true; count: number } | { ok: false; count: number; brokenAtSeq: number; reason: 'hash-mismatch' | 'link-mismatch' | 'gap' };

/**
 * The audit log's rows. Appends are serialised in a transaction so two writers cannot both
 * link to the same previous hash (SQLite has one writer; PostgreSQL takes `serialize`, an
 * advisory lock, first); nothing here updates or deletes.
 */
export class AuditStore {
  constructor(private readonly db: Kysely<Database>, private readonly serialize?: (trx: Transaction<Database>) => Promise<void>) {}

  async append(row: NewAuditRow): Promise<AuditEventTable> {
    return this.db.transaction().execute(async (trx) => {
      await this.serialize?.(trx);
      const last = await trx.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const prev = last?.hash ?? GENESIS_HASH;
      const full: AuditEventTable = { ...row, seq: (last?.seq ?? 0) + 1, prev_hash: prev, hash: chainHash(prev, row) };
      await trx.insertInto('audit_events').values(full).execute();
      return full;
    });
  }

  async listForPatient(patientId: string, limit = 100): Promise<AuditEventTable[]> {
    return this.db.selectFrom('audit_events').selectAll().where('patient_id', '=', patientId).orderBy('seq', 'desc').limit(limit).execute();
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

  async listRecent(limit = 100): Promise<AuditEventTable[]> {
    return this.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(limit).execute();
  }

  /** Walks the whole chain and reports the first row that does not verify. */
  async verify(): Promise<ChainCheck> {
    let prev = GENESIS_HASH;
    let expectedSeq = 1;
    let count = 0;
    const rows = await this.db.selectFrom('audit_events').selectAll().orderBy('seq', 'asc').execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectedSeq) return { ok: false, count, brokenAtSeq: seq, reason: 'gap' };
      if (r.prev_hash !== prev) return { ok: false, count, brokenAtSeq: seq, reason: 'link-mismatch' };
      const { seq: _s, prev_hash: _p, hash, ...content } = r;
      if (chainHash(prev, { ...content, recorded_at: Number(content.recorded_at) }) !== hash) return { ok: false, count, brokenAtSeq: seq, reason: 'hash-mismatch' };
      prev = hash;
      expectedSeq++;
      count++;
    }
    return { ok: true, count };
  }
}

import 'server-only';
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { PatientKey } from './patient-key';
import type { AuditEventTable, Database } from './schema';

export const GENESIS_HASH = '0'.repeat(64);

export type NewAuditRow = Omit<AuditEventTable, 'seq' | 'prev_hash' | 'hash' | 'hash_version'>;

/** The hash version appended rows get: 2 covers issuer_id; 1 (rows written before it existed) does not. */
export const AUDIT_HASH_VERSION = 2;

/**
 * A row's link in the chain: SHA-256 of the previous hash and the row's fields. Version 1 is the
 * field list rows had before they were keyed by issuer; version 2 adds issuer_id, so an issuer
 * moved after the fact breaks the chain like any other edit.
 */
export function chainHash(prevHash: string, row: NewAuditRow, version: number = AUDIT_HASH_VERSION): string {
  const fields: unknown[] = [row.id, row.recorded_at, row.patient_id, row.launch_id, row.category, row.outcome, row.body];
  const canonical = JSON.stringify(version === 1 ? fields : [...fields, row.issuer_id]);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** The issuer an audit body names as the app's client (`urn:housecall:client:{issuer}`, lib/audit audit-event.ts), if any. */
function issuerNamedIn(body: string): string | undefined {
  try {
    const event = JSON.parse(body) as { agent?: { who?: { identifier?: { system?: string } } }[] };
    const prefix = 'urn:housecall:client:';
    const system = (event.agent ?? []).map((a) => a.who?.identifier?.system).find((s) => s?.startsWith(prefix));
    return system?.slice(prefix.length);
  } catch {
    return undefined;
  }
}

/**
 * `issuer-mismatch`: a version-1 row (its hash predates issuer_id) whose issuer_id disagrees with
 * the issuer its hashed body names, so the backfilled issuer was changed afterwards.
 */
export type ChainCheck = { ok: true; count: number } | { ok: false; count: number; brokenAtSeq: number; reason: 'hash-mismatch' | 'link-mismatch' | 'gap' | 'issuer-mismatch' };

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
      const full: AuditEventTable = { ...row, seq: (last?.seq ?? 0) + 1, prev_hash: prev, hash: chainHash(prev, row, AUDIT_HASH_VERSION), hash_version: AUDIT_HASH_VERSION };
      await trx.insertInto('audit_events').values(full).execute();
      return full;
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
      const { seq: _s, prev_hash: _p, hash, hash_version: v, ...content } = r;
      const version = Number(v);
      if ((version !== 1 && version !== AUDIT_HASH_VERSION) || chainHash(prev, { ...content, recorded_at: Number(content.recorded_at) }, version) !== hash) return { ok: false, count, brokenAtSeq: seq, reason: 'hash-mismatch' };
      if (version === 1 && content.issuer_id !== null && content.issuer_id !== issuerNamedIn(content.body)) return { ok: false, count, brokenAtSeq: seq, reason: 'issuer-mismatch' };
      prev = hash;
      expectedSeq++;
      count++;
    }
    return { ok: true, count };
  }
}

import 'server-only';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema';
import type { StoreKey } from './seal';
import { sealedFor } from './sealed-columns';

/** Whose changes: the same person about the same patient at the same EHR, whichever launch. */
export interface HeldOwner {
  issuerId: string;
  fhirUser: string;
  patientId: string;
}

/** A held change: the outbox entry as the client sent it (JSON), and when it was handed over. */
export interface HeldChange {
  entryId: string;
  body: string;
  heldAt: number;
}

/** How long held changes wait for their owner's next launch. */
export const HELD_CHANGE_TTL_MS = 7 * 24 * 60 * 60_000;

/** The most changes kept for one owner: a lapsed launch's browser cannot fill the store. */
export const MAX_HELD_PER_OWNER = 500;

/**
 * Unsent sync changes kept for a person whose launch lapsed (the EHR refused a refresh, or
 * access expired), so the device can crypto-shred its copy without losing what they wrote. Owned
 * by (issuer, user, patient), not by a launch: the next launch of the same person and patient
 * takes them back and sends them through the proxy, judged by the consents in force then.
 * Sealed at rest with the store key, bound to owner and entry; expired ones are never returned
 * and are deleted on the next hand-over or take.
 */
export class HeldChangeStore {
  constructor(private readonly db: Kysely<Database>, private readonly key: StoreKey, private readonly now: () => number = Date.now) {}

  private hash(o: HeldOwner): string {
    return createHash('sha256').update(JSON.stringify(['held', o.issuerId, o.fhirUser, o.patientId])).digest('base64url');
  }

  private aad(ownerHash: string, entryId: string): string {
    return sealedFor.held(ownerHash, entryId);
  }

  /**
   * Keeps `changes` (entry id and JSON) for `owner`; a change already held under the same id is
   * replaced. Returns how many, or `full` (nothing kept) when the owner would hold more than
   * MAX_HELD_PER_OWNER.
   */
  async hold(owner: HeldOwner, changes: readonly { entryId: string; body: string }[]): Promise<number | 'full'> {
    const h = this.hash(owner);
    const at = this.now();
    await this.purgeExpired();
    const existing = new Set((await this.db.selectFrom('held_changes').select('entry_id').where('owner_hash', '=', h).execute()).map((r) => r.entry_id));
    const added = new Set(changes.map((c) => c.entryId).filter((id) => !existing.has(id)));
    if (existing.size + added.size > MAX_HELD_PER_OWNER) return 'full';
    for (const c of changes) {
      const sealed = this.key.seal(c.body, this.aad(h, c.entryId));
      await this.db
        .insertInto('held_changes')
        .values({ owner_hash: h, entry_id: c.entryId, sealed, held_at: at, expires_at: at + HELD_CHANGE_TTL_MS })
        .onConflict((oc) => oc.columns(['owner_hash', 'entry_id']).doUpdateSet({ sealed, held_at: at, expires_at: at + HELD_CHANGE_TTL_MS }))
        .execute();
    }
    return changes.length;
  }

  /**
   * The owner's unexpired held changes, oldest first. Nothing is deleted until `release`, except
   * a row that does not open (altered, moved, or sealed under another key): it is deleted and
   * left out, so one bad row cannot keep the rest from their owner.
   */
  async list(owner: HeldOwner): Promise<HeldChange[]> {
    const h = this.hash(owner);
    await this.purgeExpired();
    const rows = await this.db.selectFrom('held_changes').selectAll().where('owner_hash', '=', h).orderBy('held_at').orderBy('entry_id').execute();
    const out: HeldChange[] = [];
    const unreadable: string[] = [];
    for (const r of rows) {
      try {
        out.push({ entryId: r.entry_id, body: this.key.open(r.sealed, this.aad(h, r.entry_id)), heldAt: Number(r.held_at) });
      } catch {
        unreadable.push(r.entry_id);
      }
    }
    if (unreadable.length > 0) await this.release(owner, unreadable);
    return out;
  }

  /** Deletes the named held changes once the client has them again. Returns how many went. */
  async release(owner: HeldOwner, entryIds: readonly string[]): Promise<number> {
    if (entryIds.length === 0) return 0;
    const result = await this.db.deleteFrom('held_changes').where('owner_hash', '=', this.hash(owner)).where('entry_id', 'in', [...entryIds]).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes everything held for `owner` (the patient's choices now refuse this user everything). Returns how many went. */
  async discardAll(owner: HeldOwner): Promise<number> {
    const result = await this.db.deleteFrom('held_changes').where('owner_hash', '=', this.hash(owner)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Keeps everything held for `owner` another full TTL from now (support releasing them to the owner's next launch). Returns how many. */
  async renew(owner: HeldOwner): Promise<number> {
    await this.purgeExpired();
    const result = await this.db.updateTable('held_changes').set({ expires_at: this.now() + HELD_CHANGE_TTL_MS }).where('owner_hash', '=', this.hash(owner)).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  private async purgeExpired(): Promise<void> {
    await this.db.deleteFrom('held_changes').where('expires_at', '<=', this.now()).execute();
  }
}

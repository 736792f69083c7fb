import 'server-only';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema';
import type { StoreKey } from './seal';
import { sealedFor } from './sealed-columns';

export interface DraftOwner {
  issuerId: string;
  fhirUser: string;
  patientId: string;
  name: string;
}

/**
 * Drafts a person has not sent yet, sealed at rest. Owned by (issuer, user, patient), not by
 * a launch, so relaunching finds them; deleted only when the person discards or sends them.
 */
export class DraftStore {
  constructor(private readonly db: Kysely<Database>, private readonly key: StoreKey, private readonly now: () => number = Date.now) {}

  private hash(o: DraftOwner): string {
    return createHash('sha256').update(JSON.stringify([o.issuerId, o.fhirUser, o.patientId, o.name])).digest('base64url');
  }

  async get(owner: DraftOwner): Promise<{ body: string; updatedAt: number } | undefined> {
    const h = this.hash(owner);
    const row = await this.db.selectFrom('drafts').selectAll().where('key_hash', '=', h).executeTakeFirst();
    return row ? { body: this.key.open(row.sealed, sealedFor.draft(h)), updatedAt: Number(row.updated_at) } : undefined;
  }

  async put(owner: DraftOwner, body: string): Promise<number> {
    const h = this.hash(owner);
    const t = this.now();
    const sealed = this.key.seal(body, sealedFor.draft(h));
    await this.db.insertInto('drafts').values({ key_hash: h, sealed, updated_at: t }).onConflict((oc) => oc.column('key_hash').doUpdateSet({ sealed, updated_at: t })).execute();
    return t;
  }

  async remove(owner: DraftOwner): Promise<void> {
    await this.db.deleteFrom('drafts').where('key_hash', '=', this.hash(owner)).execute();
  }
}

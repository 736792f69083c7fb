import 'server-only';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** A share link as the app sees it; the token itself is only ever returned once, at creation. */
export interface ShareLink {
  id: string;
  launchId: string;
  patientId: string;
  resourceTypes: string[];
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

/** Why a token opens nothing; each maps to one clear page. */
export type ShareLinkProblem = 'unknown' | 'expired' | 'revoked';

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Partner share links: a random 256-bit token (base64url) given once to the patient, kept
 * only as its SHA-256. Time-boxed by `expires_at`, revocable by the patient.
 */
export class ShareLinkStore {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => number = Date.now) {}

  async create(input: { launchId: string; patientId: string; resourceTypes: string[]; ttlMs: number }): Promise<{ token: string; link: ShareLink }> {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    const link: ShareLink = { id: randomUUID(), launchId: input.launchId, patientId: input.patientId, resourceTypes: input.resourceTypes, createdAt: t, expiresAt: t + input.ttlMs, revokedAt: null };
    await this.db.insertInto('share_links').values({
      token_hash: hashToken(token), id: link.id, launch_id: link.launchId, patient_id: link.patientId, resource_types: JSON.stringify(link.resourceTypes), created_at: t, expires_at: link.expiresAt, revoked_at: null,
    }).execute();
    return { token, link };
  }

  /** The link a token opens, or why it opens nothing. */
  async open(token: string): Promise<{ ok: true; link: ShareLink } | { ok: false; problem: ShareLinkProblem; link?: ShareLink }> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, problem: 'unknown' };
    const row = await this.db.selectFrom('share_links').selectAll().where('token_hash', '=', hashToken(token)).executeTakeFirst();
    if (!row) return { ok: false, problem: 'unknown' };
    const link: ShareLink = { id: row.id, launchId: row.launch_id, patientId: row.patient_id, resourceTypes: JSON.parse(row.resource_types) as string[], createdAt: Number(row.created_at), expiresAt: Number(row.expires_at), revokedAt: row.revoked_at === null ? null : Number(row.revoked_at) };
    if (link.revokedAt !== null) return { ok: false, problem: 'revoked', link };
    if (link.expiresAt <= this.now()) return { ok: false, problem: 'expired', link };
    return { ok: true, link };
  }

  async listForPatient(patientId: string): Promise<ShareLink[]> {
    const rows = await this.db.selectFrom('share_links').selectAll().where('patient_id', '=', patientId).orderBy('created_at', 'desc').execute();
    return rows.map((row) => ({ id: row.id, launchId: row.launch_id, patientId: row.patient_id, resourceTypes: JSON.parse(row.resource_types) as string[], createdAt: Number(row.created_at), expiresAt: Number(row.expires_at), revokedAt: row.revoked_at === null ? null : Number(row.revoked_at) }));
  }

  /** Revokes one of the patient's links; false when there is no such link for that patient. */
  async revoke(id: string, patientId: string): Promise<boolean> {
    const r = await this.db.updateTable('share_links').set({ revoked_at: this.now() }).where('id', '=', id).where('patient_id', '=', patientId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}

import 'server-only';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { PatientKey } from './patient-key';
import type { Database, ShareLinkTable } from './schema';

/**
 * Why a link stopped working before its time: the patient revoked the link, or the consent it
 * was made from was revoked, found to be recorded in error, or ran out.
 */
export const SHARE_LINK_END_REASONS = ['link-revoked', 'consent-revoked', 'consent-entered-in-error', 'consent-expired'] as const;
export type ShareLinkEndReason = (typeof SHARE_LINK_END_REASONS)[number];

/** A share link as the app sees it; the token itself is only ever returned once, at creation. */
export interface ShareLink {
  id: string;
  launchId: string;
  /** The issuer of the patient's launch (null only for a link made before links were keyed by issuer that no launch attributes; it opens nothing). */
  issuerId: string | null;
  patientId: string;
  resourceTypes: string[];
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  /** The Consent the link was made from; null for links made before links had one. */
  consentId: string | null;
  endReason: ShareLinkEndReason | null;
}

/** Why a token opens nothing; each maps to one clear page. `withdrawn`: its consent was recorded in error. */
export type ShareLinkProblem = 'unknown' | 'expired' | 'revoked' | 'withdrawn';

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

function endReason(value: string | null): ShareLinkEndReason | null {
  return (SHARE_LINK_END_REASONS as readonly string[]).includes(value ?? '') ? (value as ShareLinkEndReason) : value === null ? null : 'link-revoked';
}

function toLink(row: Selectable<ShareLinkTable>): ShareLink {
  return {
    id: row.id, launchId: row.launch_id, issuerId: row.issuer_id ?? null, patientId: row.patient_id, resourceTypes: JSON.parse(row.resource_types) as string[], createdAt: Number(row.created_at), expiresAt: Number(row.expires_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at), consentId: row.consent_id ?? null, endReason: endReason(row.end_reason ?? null),
  };
}

/**
 * Partner share links: a random 256-bit token (base64url) given once to the patient, kept
 * only as its SHA-256. Keyed by issuer and patient, like everything kept per patient. Time-boxed by `expires_at`, revocable by the patient, and ended with the
 * Consent it was made from.
 */
export class ShareLinkStore {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => number = Date.now) {}

  async create(input: { id?: string; launchId: string; issuerId: string; patientId: string; resourceTypes: string[]; ttlMs: number; consentId?: string }): Promise<{ token: string; link: ShareLink }> {
    const token = randomBytes(32).toString('base64url');
    const t = this.now();
    const link: ShareLink = {
      id: input.id ?? randomUUID(), launchId: input.launchId, issuerId: input.issuerId, patientId: input.patientId, resourceTypes: input.resourceTypes, createdAt: t, expiresAt: t + input.ttlMs, revokedAt: null,
      consentId: input.consentId ?? null, endReason: null,
    };
    await this.db.insertInto('share_links').values({
      token_hash: hashToken(token), id: link.id, launch_id: link.launchId, issuer_id: input.issuerId, patient_id: link.patientId, resource_types: JSON.stringify(link.resourceTypes), created_at: t, expires_at: link.expiresAt, revoked_at: null,
      consent_id: link.consentId, end_reason: null,
    }).execute();
    return { token, link };
  }

  /** The link a token opens, or why it opens nothing. A link no issuer is attributed to is `unknown`. */
  async open(token: string): Promise<{ ok: true; link: ShareLink } | { ok: false; problem: ShareLinkProblem; link?: ShareLink }> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return { ok: false, problem: 'unknown' };
    const row = await this.db.selectFrom('share_links').selectAll().where('token_hash', '=', hashToken(token)).where('issuer_id', 'is not', null).executeTakeFirst();
    if (!row) return { ok: false, problem: 'unknown' };
    const link = toLink(row);
    if (link.revokedAt !== null) return { ok: false, problem: problemOf(link.endReason), link };
    if (link.expiresAt <= this.now()) return { ok: false, problem: 'expired', link };
    return { ok: true, link };
  }

  /** One of the patient's links; undefined when there is none by that id for this issuer and patient. */
  async get(key: PatientKey, id: string): Promise<ShareLink | undefined> {
    const row = await this.db.selectFrom('share_links').selectAll().where('id', '=', id).where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).executeTakeFirst();
    return row ? toLink(row) : undefined;
  }

  /** The patient's links at their issuer, newest first. */
  async listForPatient(key: PatientKey): Promise<ShareLink[]> {
    const rows = await this.db.selectFrom('share_links').selectAll().where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).orderBy('created_at', 'desc').execute();
    return rows.map(toLink);
  }

  /** Revokes one of the patient's links; the link as it was, or undefined when there is no such live link for that issuer and patient. */
  async revoke(id: string, key: PatientKey): Promise<ShareLink | undefined> {
    const link = await this.get(key, id);
    if (!link) return undefined;
    const r = await this.db.updateTable('share_links').set({ revoked_at: this.now(), end_reason: 'link-revoked' })
      .where('id', '=', id).where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).where('revoked_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0 ? link : undefined;
  }

  /** Ends every live link made from a consent; returns the ids it ended (none when all had already ended). */
  async endForConsent(consentId: string, reason: Exclude<ShareLinkEndReason, 'link-revoked'>): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const live = await trx.selectFrom('share_links').select('id').where('consent_id', '=', consentId).where('revoked_at', 'is', null).execute();
      if (live.length === 0) return [];
      await trx.updateTable('share_links').set({ revoked_at: this.now(), end_reason: reason }).where('consent_id', '=', consentId).where('revoked_at', 'is', null).execute();
      return live.map((r) => r.id);
    });
  }
}

function problemOf(reason: ShareLinkEndReason | null): ShareLinkProblem {
  if (reason === 'consent-entered-in-error') return 'withdrawn';
  if (reason === 'consent-expired') return 'expired';
  return 'revoked';
}

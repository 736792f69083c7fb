import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Database, LaunchTable } from './schema';
import type { StoreKey } from './seal';
import { sealedFor } from './sealed-columns';

/** Tokens of one launch. They exist in clear only in memory on the server. */
export interface LaunchTokens {
  accessToken: string;
  refreshToken?: string;
  idToken?: string;
  tokenType: string;
  /** The access token's lifetime as the token response gave it (`expires_in`), to refresh in proportion to it. */
  expiresInMs?: number;
}

export interface LaunchRecord {
  id: string;
  browserSessionId: string;
  issuerId: string;
  workflow: 'clinician' | 'patient';
  patientId: string | null;
  encounterId: string | null;
  fhirUser: string | null;
  /**
   * When `fhirUser` names a PractitionerRole: the Practitioner of that role (`Practitioner/{id}`),
   * read from the EHR at the launch (lib/smart/acts-for.ts), or null when it could not be read.
   * Null for every other user.
   */
  actsFor: string | null;
  scope: string;
  needPatientBanner: boolean;
  smartStyleUrl: string | null;
  accessExpiresAt: number | null;
  createdAt: number;
  endedAt: number | null;
  endReason: string | null;
  /** Break-glass access is in force until this time (ms), or null. */
  breakGlassUntil: number | null;
  /** How many refreshes replaced the tokens, and when the last did (set by the store; for support). */
  refreshCount?: number;
  lastRefreshAt?: number | null;
}

export type NewLaunch = Omit<LaunchRecord, 'createdAt' | 'endedAt' | 'endReason' | 'breakGlassUntil' | 'refreshCount' | 'lastRefreshAt' | 'actsFor'> & { actsFor?: string | null; tokens: LaunchTokens };

export interface PendingSecret {
  codeVerifier: string;
  nonce: string;
  launch: string | null;
  workflow: 'clinician' | 'patient';
  redirectUri: string;
  /** A portal part (`results`) a patient launch returns to: a name from the issuer's config, never a URL. */
  returnTo?: string;
}

/** What a conditional token replacement did: stored, refused because the launch ended, or refused because another refresh already stored newer tokens. */
export type ReplaceTokensResult = 'replaced' | 'ended' | 'superseded';

export type ConsumeResult =
  | { ok: true; issuerId: string; secret: PendingSecret }
  | { ok: false; reason: 'unknown' | 'expired' | 'replayed' | 'other-session' };

/** Launches whose issuer LaunchStore.issuerOf remembers at most. */
export const ISSUER_MEMORY_MAX = 10_000;

function toRecord(row: Omit<LaunchTable, 'refresh_count' | 'last_refresh_at'> & { refresh_count?: unknown; last_refresh_at?: number | null }): LaunchRecord {
  return {
    id: row.id,
    browserSessionId: row.browser_session_id,
    issuerId: row.issuer_id,
    workflow: row.workflow,
    patientId: row.patient_id,
    encounterId: row.encounter_id,
    fhirUser: row.fhir_user,
    actsFor: row.acts_for ?? null,
    scope: row.scope,
    needPatientBanner: row.need_patient_banner === 1,
    smartStyleUrl: row.smart_style_url,
    accessExpiresAt: row.access_expires_at === null ? null : Number(row.access_expires_at),
    createdAt: Number(row.created_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    endReason: row.end_reason,
    breakGlassUntil: row.break_glass_until === null ? null : Number(row.break_glass_until),
    refreshCount: Number(row.refresh_count ?? 0),
    lastRefreshAt: row.last_refresh_at == null ? null : Number(row.last_refresh_at),
  };
}

/**
 * Launch records and pending authorizations. Secrets are sealed with the row's identity as
 * associated data; `state` is stored only as a hash and can be consumed once.
 */
export class LaunchStore {
  /** Launch id → issuer id, for launches read before: a launch's issuer never changes. */
  private readonly issuers = new Map<string, string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly key: StoreKey,
    private readonly now: () => number = Date.now,
  ) {}

  async createPending(input: { stateHash: string; browserSessionId: string; issuerId: string; secret: PendingSecret; ttlMs: number }): Promise<void> {
    const t = this.now();
    await this.db
      .insertInto('pending_authorizations')
      .values({
        state_hash: input.stateHash,
        browser_session_id: input.browserSessionId,
        issuer_id: input.issuerId,
        sealed: this.key.seal(JSON.stringify(input.secret), sealedFor.pending(input.stateHash)),
        created_at: t,
        expires_at: t + input.ttlMs,
        consumed_at: null,
      })
      .execute();
    // Housekeeping: forget authorizations that can no longer complete.
    await this.db.deleteFrom('pending_authorizations').where('expires_at', '<', t - 60 * 60 * 1000).execute();
  }

  /** Marks a pending authorization used. Single use holds even under concurrent callbacks. */
  async consumePending(stateHash: string, browserSessionId: string | null): Promise<ConsumeResult> {
    const row = await this.db.selectFrom('pending_authorizations').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
    if (!row) return { ok: false, reason: 'unknown' };
    if (row.consumed_at !== null) return { ok: false, reason: 'replayed' };
    if (browserSessionId === null || row.browser_session_id !== browserSessionId) return { ok: false, reason: 'other-session' };
    const t = this.now();
    if (Number(row.expires_at) <= t) return { ok: false, reason: 'expired' };
    const updated = await this.db
      .updateTable('pending_authorizations')
      .set({ consumed_at: t })
      .where('state_hash', '=', stateHash)
      .where('consumed_at', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return { ok: false, reason: 'replayed' };
    const secret = JSON.parse(this.key.open(row.sealed, sealedFor.pending(stateHash))) as PendingSecret;
    return { ok: true, issuerId: row.issuer_id, secret };
  }

  /**
   * What an unconsumed, unexpired pending authorization was for, without consuming it: used to
   * choose frame-ancestors for the callback and to offer a fresh start when the browser lost
   * its cookie inside an EHR frame.
   */
  async peekPending(stateHash: string): Promise<{ issuerId: string; launch: string | null } | undefined> {
    const row = await this.db.selectFrom('pending_authorizations').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
    if (!row || row.consumed_at !== null || Number(row.expires_at) <= this.now()) return undefined;
    const secret = JSON.parse(this.key.open(row.sealed, sealedFor.pending(stateHash))) as PendingSecret;
    return { issuerId: row.issuer_id, launch: secret.launch };
  }

  async createLaunch(launch: NewLaunch): Promise<LaunchRecord> {
    const t = this.now();
    const row: Omit<LaunchTable, 'refresh_count' | 'last_refresh_at'> = {
      id: launch.id,
      browser_session_id: launch.browserSessionId,
      issuer_id: launch.issuerId,
      workflow: launch.workflow,
      patient_id: launch.patientId,
      encounter_id: launch.encounterId,
      fhir_user: launch.fhirUser,
      acts_for: launch.actsFor ?? null,
      scope: launch.scope,
      need_patient_banner: launch.needPatientBanner ? 1 : 0,
      smart_style_url: launch.smartStyleUrl,
      tokens_sealed: this.key.seal(JSON.stringify(launch.tokens), sealedFor.tokens(launch.id)),
      access_expires_at: launch.accessExpiresAt,
      created_at: t,
      updated_at: t,
      ended_at: null,
      end_reason: null,
      refresh_lease_until: null,
      break_glass_until: null,
    };
    await this.db.insertInto('launches').values(row).execute();
    return toRecord(row);
  }

  async getLaunch(id: string): Promise<LaunchRecord | undefined> {
    const row = await this.db.selectFrom('launches').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /**
   * The launch record and its tokens from one read of the row, so the tokens are never older
   * than the expiry and end read with them (a refresh stores both in one update).
   */
  async getLaunchWithTokens(id: string): Promise<{ launch: LaunchRecord; tokens: LaunchTokens | undefined } | undefined> {
    const row = await this.db.selectFrom('launches').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const tokens = JSON.parse(this.key.open(row.tokens_sealed, sealedFor.tokens(id))) as LaunchTokens | null;
    return { launch: toRecord(row), tokens: tokens ?? undefined };
  }

  /**
   * The issuer a launch was made at, or undefined for no such launch. It never changes, so it is
   * remembered after the first read (at most ISSUER_MEMORY_MAX launches, oldest forgotten first):
   * the request proxy asks it for every request under /l/{launchId} to choose frame-ancestors.
   */
  async issuerOf(id: string): Promise<string | undefined> {
    const known = this.issuers.get(id);
    if (known !== undefined) return known;
    const row = await this.db.selectFrom('launches').select('issuer_id').where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    if (this.issuers.size >= ISSUER_MEMORY_MAX) this.issuers.delete(this.issuers.keys().next().value!);
    this.issuers.set(id, row.issuer_id);
    return row.issuer_id;
  }

  async getTokens(id: string): Promise<LaunchTokens | undefined> {
    const row = await this.db.selectFrom('launches').select('tokens_sealed').where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const tokens = JSON.parse(this.key.open(row.tokens_sealed, sealedFor.tokens(id))) as LaunchTokens | null;
    return tokens ?? undefined;
  }

  /**
   * Stores the tokens a refresh returned, only if the launch still holds the refresh token that
   * was sent (`expectedRefreshToken`) and has not ended: a compare-and-swap on the sealed row, so
   * two instances can never both store, and a refresh that finishes after a sign-out stores
   * nothing. Replacing releases the refresh lease. `scope`, when given, replaces the stored grant.
   * The caller revokes the tokens of an answer other than `replaced`.
   */
  async replaceTokens(
    id: string,
    next: { tokens: LaunchTokens; accessExpiresAt: number | null; scope?: string },
    expectedRefreshToken: string | undefined,
  ): Promise<ReplaceTokensResult> {
    const row = await this.db.selectFrom('launches').select(['tokens_sealed', 'ended_at']).where('id', '=', id).executeTakeFirst();
    if (!row || row.ended_at !== null) return 'ended';
    const current = JSON.parse(this.key.open(row.tokens_sealed, sealedFor.tokens(id))) as LaunchTokens | null;
    if (!current) return 'ended';
    if (current.refreshToken !== expectedRefreshToken) return 'superseded';
    const updated = await this.db
      .updateTable('launches')
      .set({
        tokens_sealed: this.key.seal(JSON.stringify(next.tokens), sealedFor.tokens(id)),
        access_expires_at: next.accessExpiresAt,
        ...(next.scope !== undefined ? { scope: next.scope } : {}),
        updated_at: this.now(),
        refresh_lease_until: null,
        refresh_count: sql`refresh_count + 1`,
        last_refresh_at: this.now(),
      })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .where('tokens_sealed', '=', row.tokens_sealed)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 1) return 'replaced';
    const after = await this.db.selectFrom('launches').select('ended_at').where('id', '=', id).executeTakeFirst();
    return !after || after.ended_at !== null ? 'ended' : 'superseded';
  }

  /**
   * Takes the refresh lease of a launch for `ms`, across every server instance sharing this
   * store. False when another holder's lease is still running.
   */
  async tryAcquireRefreshLease(id: string, ms: number): Promise<boolean> {
    const t = this.now();
    const r = await this.db
      .updateTable('launches')
      .set({ refresh_lease_until: t + ms })
      .where('id', '=', id)
      .where('ended_at', 'is', null)
      .where((eb) => eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<=', t)]))
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async releaseRefreshLease(id: string): Promise<void> {
    await this.db.updateTable('launches').set({ refresh_lease_until: null }).where('id', '=', id).execute();
  }

  async setBreakGlass(id: string, until: number): Promise<void> {
    await this.db.updateTable('launches').set({ break_glass_until: until, updated_at: this.now() }).where('id', '=', id).where('ended_at', 'is', null).execute();
  }

  /**
   * Ends a break-glass window that still ends at `until` (expired, or stopped by the clinician).
   * True for exactly one caller: two requests that both notice the expiry record its end once.
   */
  async endBreakGlass(id: string, until: number): Promise<boolean> {
    const result = await this.db.updateTable('launches').set({ break_glass_until: null, updated_at: this.now() }).where('id', '=', id).where('break_glass_until', '=', until).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Launches that ended after `since`: when, why and at which issuer (no tokens, no patient). */
  async endedSince(since: number): Promise<{ endedAt: number; endReason: string | null; issuerId: string }[]> {
    const rows = await this.db.selectFrom('launches').select(['ended_at', 'end_reason', 'issuer_id']).where('ended_at', '>', since).execute();
    return rows.map((r) => ({ endedAt: Number(r.ended_at), endReason: r.end_reason, issuerId: r.issuer_id }));
  }

  /**
   * Ends a launch and destroys its tokens; the record stays for support and audit. Returns the
   * tokens it destroyed, read and destroyed in one compare-and-swap on the sealed row: a refresh
   * storing new tokens meanwhile makes the swap miss and it reads again, so what a sign-out
   * revokes is exactly what the launch held when it ended. Undefined when it had already ended.
   */
  async endLaunch(id: string, reason: string): Promise<LaunchTokens | undefined> {
    for (let attempt = 1; ; attempt++) {
      const row = await this.db.selectFrom('launches').select(['tokens_sealed', 'ended_at']).where('id', '=', id).executeTakeFirst();
      if (!row || row.ended_at !== null) return undefined;
      // After a few misses (refreshes kept replacing the tokens) it ends regardless, and says which tokens it read last.
      const regardless = attempt >= 5;
      let update = this.db
        .updateTable('launches')
        .set({ ended_at: this.now(), end_reason: reason, tokens_sealed: this.key.seal('null', sealedFor.tokens(id)), updated_at: this.now() })
        .where('id', '=', id)
        .where('ended_at', 'is', null);
      if (!regardless) update = update.where('tokens_sealed', '=', row.tokens_sealed);
      const ended = await update.executeTakeFirst();
      if (Number(ended.numUpdatedRows) === 1) return (JSON.parse(this.key.open(row.tokens_sealed, sealedFor.tokens(id))) as LaunchTokens | null) ?? undefined;
      if (regardless) return undefined;
    }
  }
}

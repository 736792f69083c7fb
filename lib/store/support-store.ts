import 'server-only';
import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** How long an error page's reference can be looked up. */
export const ERROR_REFERENCE_TTL_MS = 30 * 24 * 60 * 60_000;

export interface ErrorReference {
  reference: string;
  recordedAt: number;
  code: string;
  issuerId: string | null;
  browserSessionId: string | null;
  launchId: string | null;
}

/** One launch in a support list: identifiers and times, never tokens or clinical data. */
export interface LaunchKey {
  id: string;
  issuerId: string;
  workflow: 'clinician' | 'patient';
  fhirUser: string | null;
  patientId: string | null;
  createdAt: number;
  endedAt: number | null;
  endReason: string | null;
}

/**
 * What the staff console's support pages read beside the launches: the references people read
 * from error pages (lib/smart responses.ts records them), and each launch's latest device sync
 * report (app/api/l/[launchId]/client-metrics). Identifiers, codes, counts and times only.
 */
export class SupportStore {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => number = Date.now) {}

  async recordErrorReference(ref: Omit<ErrorReference, 'recordedAt'>): Promise<void> {
    const at = this.now();
    await this.db.deleteFrom('error_references').where('recorded_at', '<', at - ERROR_REFERENCE_TTL_MS).execute();
    await this.db
      .insertInto('error_references')
      .values({ reference: ref.reference, recorded_at: at, code: ref.code, issuer_id: ref.issuerId, browser_session_id: ref.browserSessionId, launch_id: ref.launchId })
      .onConflict((oc) => oc.column('reference').doNothing())
      .execute();
  }

  async findErrorReference(reference: string): Promise<ErrorReference | undefined> {
    const r = await this.db.selectFrom('error_references').selectAll().where('reference', '=', reference).where('recorded_at', '>=', this.now() - ERROR_REFERENCE_TTL_MS).executeTakeFirst();
    return r ? { reference: r.reference, recordedAt: Number(r.recorded_at), code: r.code, issuerId: r.issuer_id, browserSessionId: r.browser_session_id, launchId: r.launch_id } : undefined;
  }

  /** Error pages shown since `since`, newest first. */
  async errorsSince(since: number, limit = 500): Promise<ErrorReference[]> {
    const rows = await this.db.selectFrom('error_references').selectAll().where('recorded_at', '>', since).orderBy('recorded_at', 'desc').limit(limit).execute();
    return rows.map((r) => ({ reference: r.reference, recordedAt: Number(r.recorded_at), code: r.code, issuerId: r.issuer_id, browserSessionId: r.browser_session_id, launchId: r.launch_id }));
  }

  async launchesById(ids: readonly string[]): Promise<LaunchKey[]> {
    if (ids.length === 0) return [];
    const rows = await this.launchKeys().where('id', 'in', [...ids]).orderBy('created_at', 'desc').execute();
    return rows.map(toKey);
  }

  /** The launches made in one browser session, newest first. */
  async launchesOfBrowserSession(browserSessionId: string, limit = 20): Promise<LaunchKey[]> {
    const rows = await this.launchKeys().where('browser_session_id', '=', browserSessionId).orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toKey);
  }

  /** Launches started since `since` (for pseudonymous lookups), newest first. */
  async launchesSince(since: number, limit = 5000): Promise<LaunchKey[]> {
    const rows = await this.launchKeys().where('created_at', '>', since).orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toKey);
  }

  /** Launches that ended with one of `reasons` since `since`, newest first. */
  async endedWith(reasons: readonly string[], since: number, limit = 500): Promise<LaunchKey[]> {
    if (reasons.length === 0) return [];
    const rows = await this.launchKeys().where('ended_at', '>', since).where('end_reason', 'in', [...reasons]).orderBy('ended_at', 'desc').limit(limit).execute();
    return rows.map(toKey);
  }

  async putClientMetrics(launchId: string, body: unknown): Promise<void> {
    const json = JSON.stringify(body);
    const at = this.now();
    await this.db
      .insertInto('launch_client_metrics')
      .values({ launch_id: launchId, body: json, reported_at: at })
      .onConflict((oc) => oc.column('launch_id').doUpdateSet({ body: json, reported_at: at }))
      .execute();
  }

  async clientMetrics(launchId: string): Promise<{ body: unknown; reportedAt: number } | undefined> {
    const r = await this.db.selectFrom('launch_client_metrics').selectAll().where('launch_id', '=', launchId).executeTakeFirst();
    return r ? { body: JSON.parse(r.body) as unknown, reportedAt: Number(r.reported_at) } : undefined;
  }

  private launchKeys() {
    return this.db.selectFrom('launches').select(['id', 'issuer_id', 'workflow', 'fhir_user', 'patient_id', 'created_at', 'ended_at', 'end_reason']);
  }
}

function toKey(r: { id: string; issuer_id: string; workflow: 'clinician' | 'patient'; fhir_user: string | null; patient_id: string | null; created_at: number; ended_at: number | null; end_reason: string | null }): LaunchKey {
  return { id: r.id, issuerId: r.issuer_id, workflow: r.workflow, fhirUser: r.fhir_user, patientId: r.patient_id, createdAt: Number(r.created_at), endedAt: r.ended_at === null ? null : Number(r.ended_at), endReason: r.end_reason };
}

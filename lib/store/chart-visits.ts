import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/** One row per (clinician, issuer, patient). Times are milliseconds since the epoch. */
export interface ChartVisitTable {
  fhir_user: string;
  issuer_id: string;
  patient_id: string;
  /** The launch that made the latest open; reloads within it do not move the baseline. */
  launch_id: string;
  opened_at: number;
  previous_opened_at: number | null;
}

export interface ChartVisitKey {
  fhirUser: string;
  issuerId: string;
  patientId: string;
}

type VisitDb = Kysely<Database & { chart_visits: ChartVisitTable }>;

/**
 * "Last opened" per clinician, issuer and patient, for the chart's "new since you last opened
 * it". A visit belongs to a launch: the first open in a new launch moves the baseline, while
 * reloads and returns within the same launch (an interrupted clinician coming back) keep it,
 * so what was new at the start of the launch stays listed until the next launch.
 */
export class ChartVisits {
  private readonly db: VisitDb;

  constructor(db: Kysely<Database>, private readonly now: () => number = Date.now) {
    this.db = db.withTables<{ chart_visits: ChartVisitTable }>();
  }

  private row(key: ChartVisitKey) {
    return this.db
      .selectFrom('chart_visits')
      .selectAll()
      .where('fhir_user', '=', key.fhirUser)
      .where('issuer_id', '=', key.issuerId)
      .where('patient_id', '=', key.patientId)
      .executeTakeFirst();
  }

  /** When this clinician last opened this chart before `launchId`, or null if never. */
  async lastOpenedBefore(key: ChartVisitKey, launchId: string): Promise<number | null> {
    const row = await this.row(key);
    if (!row) return null;
    const at = row.launch_id === launchId ? row.previous_opened_at : row.opened_at;
    return at === null ? null : Number(at);
  }

  /** Records that the chart was opened (and shown) in `launchId`. Idempotent per launch. */
  async recordOpen(key: ChartVisitKey, launchId: string): Promise<void> {
    const t = this.now();
    await this.db
      .insertInto('chart_visits')
      .values({ fhir_user: key.fhirUser, issuer_id: key.issuerId, patient_id: key.patientId, launch_id: launchId, opened_at: t, previous_opened_at: null })
      .onConflict((oc) =>
        oc
          .columns(['fhir_user', 'issuer_id', 'patient_id'])
          .doUpdateSet({ previous_opened_at: sql<number>`chart_visits.opened_at`, opened_at: t, launch_id: launchId })
          .where('chart_visits.launch_id', '!=', launchId),
      )
      .execute();
  }
}

import 'server-only';
import type { Consent } from '@medplum/fhirtypes';
import type { Kysely } from 'kysely';
import type { PatientKey } from './patient-key';
import type { Database } from './schema';

/** Where a consent stands at the EHR: written, waiting to be (retried), or not accepted there. */
export const EHR_STATES = ['written', 'pending', 'unsupported'] as const;
export type ConsentEhrState = (typeof EHR_STATES)[number];

/** A consent with its EHR copy's whereabouts. */
export interface ConsentEhrRecord {
  id: string;
  /** Local version (consent_versions). */
  version: number;
  consent: Consent;
  ehrId: string | null;
  ehrVersion: string | null;
  /** null: never tried. */
  state: ConsentEhrState | null;
  /** The local version the EHR copy holds, if any. */
  syncedVersion: number | null;
}

/**
 * Consents as Housecall records them, keyed by issuer and patient (a patient id is only unique
 * at its EHR). Every save is a new version kept in consent_versions,
 * so a revoked or corrected consent's history stays readable. Reads are never cached: the
 * proxy loads them for every request, so a revocation takes effect on the very next one.
 */
export class ConsentStore {
  constructor(private readonly db: Kysely<Database>, private readonly now: () => number = Date.now) {}

  /** The patient's consents at their issuer, current versions. */
  async listForPatient(key: PatientKey): Promise<Consent[]> {
    const rows = await this.db.selectFrom('consents').select('resource').where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).execute();
    return rows.map((r) => JSON.parse(r.resource) as Consent);
  }

  /** One of the patient's consents; undefined when there is none by that id for this issuer and patient. */
  async get(key: PatientKey, id: string): Promise<Consent | undefined> {
    const row = await this.db.selectFrom('consents').select('resource').where('id', '=', id).where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).executeTakeFirst();
    return row ? (JSON.parse(row.resource) as Consent) : undefined;
  }

  /**
   * Saves a new version of the patient's consent; `expectedVersion` guards against two edits
   * racing. An id already kept for another issuer or patient is refused, never overwritten.
   */
  async save(consent: Consent & { id: string }, key: PatientKey, expectedVersion?: number): Promise<Consent> {
    return this.db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('consents').select(['version', 'issuer_id', 'patient_id']).where('id', '=', consent.id).executeTakeFirst();
      if (current && (current.issuer_id !== key.issuerId || current.patient_id !== key.patientId)) throw new Error('consent belongs to another patient');
      if (expectedVersion !== undefined && (current?.version ?? 0) !== expectedVersion) throw new Error('consent version conflict');
      const version = (current?.version ?? 0) + 1;
      const t = this.now();
      const stored: Consent = { ...consent, meta: { ...consent.meta, versionId: String(version), lastUpdated: new Date(t).toISOString() } };
      const json = JSON.stringify(stored);
      if (current) {
        await trx.updateTable('consents').set({ status: stored.status, version, resource: json, updated_at: t }).where('id', '=', consent.id).where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).execute();
      } else {
        await trx.insertInto('consents').values({ id: consent.id, issuer_id: key.issuerId, patient_id: key.patientId, status: stored.status, version, resource: json, updated_at: t, ehr_id: null, ehr_version: null, ehr_state: null, ehr_synced_version: null }).execute();
      }
      await trx.insertInto('consent_versions').values({ consent_id: consent.id, version, resource: json, recorded_at: t }).execute();
      return stored;
    });
  }

  /** Where each of a patient's consents stands at the EHR. */
  async ehrRecords(key: PatientKey): Promise<ConsentEhrRecord[]> {
    const rows = await this.db.selectFrom('consents').select(['id', 'version', 'resource', 'ehr_id', 'ehr_version', 'ehr_state', 'ehr_synced_version']).where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).execute();
    return rows.map((r) => ({
      id: r.id, version: Number(r.version), consent: JSON.parse(r.resource) as Consent, ehrId: r.ehr_id ?? null, ehrVersion: r.ehr_version ?? null,
      state: (EHR_STATES as readonly string[]).includes(r.ehr_state ?? '') ? (r.ehr_state as ConsentEhrState) : null, syncedVersion: r.ehr_synced_version === null || r.ehr_synced_version === undefined ? null : Number(r.ehr_synced_version),
    }));
  }

  /** Records the outcome of writing local `version` of a consent to the EHR. */
  async markEhr(key: PatientKey, id: string, outcome: { state: ConsentEhrState; version: number; ehrId?: string; ehrVersion?: string | null }): Promise<void> {
    const patch = outcome.state === 'written'
      ? { ehr_state: 'written', ehr_synced_version: outcome.version, ehr_id: outcome.ehrId ?? null, ehr_version: outcome.ehrVersion ?? null }
      : { ehr_state: outcome.state };
    await this.db.updateTable('consents').set(patch).where('id', '=', id).where('issuer_id', '=', key.issuerId).where('patient_id', '=', key.patientId).execute();
  }

  /** Every version of one of the patient's consents, oldest first (none for another issuer's or patient's). */
  async history(key: PatientKey, id: string): Promise<Consent[]> {
    const rows = await this.db.selectFrom('consent_versions').innerJoin('consents', 'consents.id', 'consent_versions.consent_id')
      .select('consent_versions.resource').where('consent_versions.consent_id', '=', id).where('consents.issuer_id', '=', key.issuerId).where('consents.patient_id', '=', key.patientId)
      .orderBy('consent_versions.version', 'asc').execute();
    return rows.map((r) => JSON.parse(r.resource) as Consent);
  }
}

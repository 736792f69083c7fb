import 'server-only';
/**
 * Keeping a copy of each consent at the EHR when its CapabilityStatement allows Consent writes
 * (issue #6: Housecall's store is the source of truth, the EHR gets the record as well).
 *
 * Model: every local version of a consent should reach the EHR once. A consent whose latest
 * version the EHR does not hold yet is written (created the first time, updated after, with
 * If-Match on the EHR's version). Where the EHR does not take Consent writes the consent is
 * marked `unsupported`, which is not an error. Any failure marks it `pending`: nothing local is
 * lost, and the next consent change or launch tries again. Never throws.
 */
import type { CapabilityStatement, Consent } from '@medplum/fhirtypes';
import type { ConsentStore, PatientKey } from '../store';

/** How the EHR is reached (wired to lib/fhir with the patient launch's token in app/). */
export interface EhrConsentPort {
  capability(): Promise<CapabilityStatement | undefined>;
  writeSupport(capability: CapabilityStatement | undefined): { create: boolean; update: boolean };
  send(consent: Consent & { id: string }, ehr: { id: string; version: string | null } | undefined): Promise<{ id: string; version: string | null }>;
}

/** What one pass did (counts only). */
export interface EhrRecordReport {
  written: number;
  pending: number;
  unsupported: number;
}

/** Writes every consent of the patient (at the issuer `patient` names) whose latest version the EHR does not hold yet (see the module comment). */
export async function recordConsentsAtEhr(store: ConsentStore, patient: PatientKey, port: EhrConsentPort): Promise<EhrRecordReport> {
  const report: EhrRecordReport = { written: 0, pending: 0, unsupported: 0 };
  const due = (await store.ehrRecords(patient)).filter((r) => r.syncedVersion !== r.version && r.state !== 'unsupported');
  if (due.length === 0) return report;
  const capability = await port.capability().catch(() => undefined);
  const support = port.writeSupport(capability);
  for (const record of due) {
    const ehr = record.ehrId ? { id: record.ehrId, version: record.ehrVersion } : undefined;
    if (capability === undefined) {
      await store.markEhr(patient, record.id, { state: 'pending', version: record.version });
      report.pending += 1;
      continue;
    }
    if (ehr ? !support.update : !support.create) {
      await store.markEhr(patient, record.id, { state: 'unsupported', version: record.version });
      report.unsupported += 1;
      continue;
    }
    try {
      const written = await port.send({ ...record.consent, id: record.id }, ehr);
      await store.markEhr(patient, record.id, { state: 'written', version: record.version, ehrId: written.id, ehrVersion: written.version });
      report.written += 1;
    } catch {
      await store.markEhr(patient, record.id, { state: 'pending', version: record.version });
      report.pending += 1;
    }
  }
  return report;
}

/**
 * Partitions: one local database per (issuer, user, patient), so two patients, two users of one
 * device, or two EHRs never share rows or keys. Names are a hash of the triple, so no PHI (a
 * patient id, a user's name) appears in a database name that any script on the origin can list.
 */
import { sha256Hex } from './record-cipher';

/** Whose data a partition holds. */
export interface PartitionOwner {
  /** FHIR base URL of the issuer. */
  issuer: string;
  /** The signed-in user's FHIR reference (`Practitioner/123`, `Patient/abc`). */
  fhirUser: string;
  /** The patient in context. */
  patient: string;
}

/** Every database Housecall creates starts with this, so a wipe can find them all. */
export const DATABASE_PREFIX = 'housecall-';
/** The database that holds each partition's keys (keys live apart from the data they protect). */
export const KEY_DATABASE = 'housecall-keys';

/** 128 bits of SHA-256 over the owner triple, hex. */
export async function partitionId(owner: PartitionOwner): Promise<string> {
  const digest = await sha256Hex(JSON.stringify(['housecall-partition-v1', owner.issuer, owner.fhirUser, owner.patient]));
  return digest.slice(0, 32);
}

/** The IndexedDB name of a partition (hash only). */
export function databaseName(partition: string): string {
  return `${DATABASE_PREFIX}p-${partition}`;
}

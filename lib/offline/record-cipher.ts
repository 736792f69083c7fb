/**
 * Record encryption. Every record is sealed with AES-256-GCM under a non-extractable key that
 * WebCrypto generated on this device; the raw key bytes never exist in script. A fresh 96-bit
 * IV per write (NIST SP 800-38D §8.2.2: never reuse an IV under one key). The record's identity
 * is the additional authenticated data, so a ciphertext moved to another row, another patient's
 * partition or another version fails authentication instead of being read as the wrong record.
 *
 * Rows are keyed by an HMAC-SHA-256 of (partition, type, id) under a second non-extractable
 * key, so resource ids (MRN-like at some EHRs) never appear in clear in IndexedDB. The AAD binds
 * that row key, which is a keyed function of the id, so binding it binds the id.
 *
 * Rows of the current format (v2) also bind the clear metadata the store acts on (data class,
 * stored-at time) and a per-row write counter, so editing `cls` or `storedAt` fails
 * authentication, and an older ciphertext of the same row put back carries an older counter than
 * the partition's manifest (record-store.ts) and is read as rolled back. Rows of the first
 * format (v1, no counter) still open under their old additional data, so nothing a previous
 * version wrote becomes unreadable; the store decides what to trust of them.
 */
export interface StoreKeys {
  /** AES-GCM, non-extractable, encrypt/decrypt. */
  readonly aes: CryptoKey;
  /** HMAC-SHA-256, non-extractable, sign. */
  readonly mac: CryptoKey;
}

/** What a ciphertext is bound to. */
export interface RecordIdentity {
  /** Partition id: hash of issuer, fhirUser and patient (the launch context). */
  partition: string;
  type: string;
  /** HMAC row key of (partition, type, id). */
  rowKey: string;
  /** `meta.versionId` or a content hash; empty string when unknown. */
  version: string;
  /** Format v2: the row's data class, stored-at time and write counter. All three or none (v1). */
  cls?: string;
  storedAt?: number;
  counter?: number;
}

/** A ciphertext and its IV. */
export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Fresh keys for a new partition. Non-extractable: usable, storable in IndexedDB (structured clone) and deletable, never readable. */
export async function generateStoreKeys(): Promise<StoreKeys> {
  const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const mac = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return { aes, mac };
}

/**
 * Additional data: the identity fields in a fixed order, unambiguous because JSON-encoded. With a
 * counter, the v2 form that also binds class and stored-at time; without, the v1 form.
 */
export function additionalData(identity: RecordIdentity): Uint8Array<ArrayBuffer> {
  if (identity.counter === undefined) return encoder.encode(JSON.stringify(['housecall-record-v1', identity.partition, identity.type, identity.rowKey, identity.version]));
  return encoder.encode(JSON.stringify(['housecall-record-v2', identity.partition, identity.type, identity.rowKey, identity.version, identity.cls ?? '', identity.storedAt ?? 0, identity.counter]));
}

/** Encrypts `{ id, value }` bound to `identity`. */
export async function sealRecord(keys: StoreKeys, identity: RecordIdentity, id: string, value: unknown): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plain = encoder.encode(JSON.stringify({ id, value }));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(identity) }, keys.aes, plain);
  return { iv, data };
}

/**
 * Decrypts a sealed record. Rejects if the ciphertext, IV or identity was altered, or if the key
 * is not the one it was sealed with (for example after a wipe created a new key).
 */
export async function openRecord(keys: StoreKeys, identity: RecordIdentity, sealed: Sealed): Promise<{ id: string; value: unknown }> {
  const iv = new Uint8Array(sealed.iv);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: additionalData(identity) }, keys.aes, sealed.data);
  const parsed = JSON.parse(decoder.decode(plain)) as { id?: unknown; value?: unknown };
  if (typeof parsed.id !== 'string') throw new Error('sealed record has no id');
  return { id: parsed.id, value: parsed.value };
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The row key of a record: HMAC-SHA-256(partition, type, id), hex. */
export async function rowKeyOf(keys: StoreKeys, partition: string, type: string, id: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', keys.mac, encoder.encode(JSON.stringify([partition, type, id])));
  return hex(mac);
}

/** SHA-256 hex of a string (names and partition ids; not a secret). */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

/**
 * Record encryption. Every record is sealed with AES-256-GCM under a non-extractable key that
 * WebCrypto generated on this device; the raw key bytes never exist in script. A fresh 96-bit
 * IV per write (NIST SP 800-38D §8.2.2: never reuse an IV under one key). The record's identity
 * (partition, type, id, version) is the additional authenticated data, so a ciphertext moved to
 * another row, another patient's partition or another version fails authentication instead of
 * being read as the wrong record.
 *
 * Row keys are an HMAC-SHA-256 of the identity under a second non-extractable key, so resource
 * ids (which at some EHRs are MRN-like) never appear in clear in IndexedDB.
 */
export interface StoreKeys {
  /** AES-GCM, non-extractable, encrypt/decrypt. */
  readonly aes: CryptoKey;
  /** HMAC-SHA-256, non-extractable, sign. */
  readonly mac: CryptoKey;
}

export interface RecordIdentity {
  /** Partition id: hash of issuer, fhirUser and patient (the launch context). */
  partition: string;
  type: string;
  id: string;
  /** `meta.versionId` or a content hash; empty string when unknown. */
  version: string;
}

export interface Sealed {
  iv: Uint8Array;
  data: ArrayBuffer;
}

const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Fresh keys for a new partition. Both are non-extractable: they can be used, stored in IndexedDB (structured clone), and deleted, never read. */
export async function generateStoreKeys(subtle: SubtleCrypto = crypto.subtle): Promise<StoreKeys> {
  const aes = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const mac = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return { aes, mac };
}

/** Additional data: the identity fields in a fixed order, unambiguous because JSON-encoded. */
export function additionalData(identity: RecordIdentity): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify(['housecall-record-v1', identity.partition, identity.type, identity.id, identity.version]));
}

export async function sealRecord(keys: StoreKeys, identity: RecordIdentity, value: unknown): Promise<Sealed> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plain = encoder.encode(JSON.stringify({ id: identity.id, value }));
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(identity) }, keys.aes, plain);
  return { iv, data };
}

/**
 * Opens a sealed record. Rejects if the ciphertext, IV or identity was altered, or if the key is
 * not the one it was sealed with.
 */
export async function openRecord(keys: StoreKeys, identity: Omit<RecordIdentity, 'id'>, sealed: Sealed): Promise<{ id: string; value: unknown }> {
  const iv = new Uint8Array(sealed.iv);
  // The id is inside the ciphertext (rows are keyed by HMAC); authenticate against the row's key after decrypting.
  const plainId = await tryIds(keys, identity, iv, sealed.data);
  return plainId;
}

async function tryIds(keys: StoreKeys, identity: Omit<RecordIdentity, 'id'>, iv: Uint8Array<ArrayBuffer>, data: ArrayBuffer): Promise<{ id: string; value: unknown }> {
  // Decrypt with the id-less AAD prefix is impossible (GCM authenticates all AAD), so the id is
  // carried in the row key: callers pass the row key through `rowKeyOf` and check below.
  const aad = encoder.encode(JSON.stringify(['housecall-record-v1', identity.partition, identity.type, identity.version]));
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, keys.aes, data);
  return JSON.parse(decoder.decode(plain)) as { id: string; value: unknown };
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The row key of a record: HMAC(partition, type, id), hex. */
export async function rowKeyOf(keys: StoreKeys, partition: string, type: string, id: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', keys.mac, encoder.encode(JSON.stringify([partition, type, id])));
  return hex(mac);
}

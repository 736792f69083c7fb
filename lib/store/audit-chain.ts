import 'server-only';
import { createHash } from 'node:crypto';
import type { AuditEventsTable } from './schema';

/**
 * The audit log's hashes, pure. The log is several hash chains, one per store instance, so that
 * instances append without waiting on each other; anchors tie them together (each records the
 * heads of the chains that moved since the previous anchor, and anchors form a chain of their own).
 */
export const GENESIS_HASH = '0'.repeat(64);

/** The chain rows written before 012-audit-chains were moved to: one chain, in their old order. */
export const LEGACY_CHAIN_ID = 'legacy';

/**
 * The hash version appended rows get. 1: the fields rows had before they were keyed by issuer;
 * 2 adds issuer_id; 3 adds chain_id and chain_seq, so a row moved to another chain or position
 * breaks like any other edit. Versions 1 and 2 occur only in the legacy chain.
 */
export const AUDIT_HASH_VERSION = 3;

export type NewAuditRow = Omit<AuditEventsTable, 'seq' | 'chain_id' | 'chain_seq' | 'prev_hash' | 'hash' | 'hash_version'>;

/** Where a row sits: its chain and its position in it (hashed from version 3). */
export interface ChainPosition {
  chain_id: string;
  chain_seq: number;
}

/** A row's link: SHA-256 of the previous hash and the row's fields as its version lists them. */
export function chainHash(prevHash: string, row: NewAuditRow & Partial<ChainPosition>, version: number = AUDIT_HASH_VERSION): string {
  const fields: unknown[] = [row.id, row.recorded_at, row.patient_id, row.launch_id, row.category, row.outcome, row.body];
  if (version >= 2) fields.push(row.issuer_id);
  if (version >= 3) {
    if (row.chain_id === undefined || row.chain_seq === undefined) throw new Error('a version-3 audit hash needs the row\'s chain and position');
    fields.push(row.chain_id, row.chain_seq);
  }
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}

/** One chain's head as an anchor records it: chain id, position, hash. */
export type AnchorHead = [chainId: string, chainSeq: number, hash: string];

/** An anchor's link: SHA-256 of the previous anchor's hash, its number, time and the heads it records (sorted by chain id). */
export function anchorHash(prevHash: string, seq: number, recordedAt: number, heads: readonly AnchorHead[]): string {
  return createHash('sha256').update(prevHash).update('\n').update(JSON.stringify(['anchor', seq, recordedAt, heads])).digest('hex');
}

/** The heads an anchor stores, in the one order its hash is computed over. */
export function sortHeads(heads: readonly AnchorHead[]): AnchorHead[] {
  return [...heads].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

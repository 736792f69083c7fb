import 'server-only';
import type { Kysely } from 'kysely';
import { anchorHash, AUDIT_HASH_VERSION, chainHash, GENESIS_HASH, LEGACY_CHAIN_ID, type AnchorHead } from './audit-chain';
import type { Database } from './schema';

/**
 * What `verify` finds wrong, first problem only:
 * - `hash-mismatch`: a row's content (or hash version) does not give its hash: edited.
 * - `link-mismatch`: a row does not link to the one before it in its chain: reordered or replaced.
 * - `gap`: a position missing in a chain: a row deleted.
 * - `issuer-mismatch`: a version-1 row whose issuer_id disagrees with the issuer its hashed body names.
 * - `unregistered-chain`: rows in a chain audit_chains does not know (chains are registered with their first rows).
 * - `truncated`: a chain ends before the position an anchor recorded, or a registered chain has no rows.
 * - `anchor-mismatch`: an anchor's recorded head differs from the row at that position, or the anchor was edited.
 * - `anchor-gap`: an anchor is missing.
 * `brokenAtSeq` is the row's global seq; `chainId` and `anchorSeq` say where, when they apply.
 */
export type ChainProblem = 'hash-mismatch' | 'link-mismatch' | 'gap' | 'issuer-mismatch' | 'unregistered-chain' | 'truncated' | 'anchor-mismatch' | 'anchor-gap';

export type ChainCheck =
  | { ok: true; count: number; chains: number; anchors: number }
  | { ok: false; count: number; reason: ChainProblem; brokenAtSeq?: number; chainId?: string; anchorSeq?: number };

/** The issuer an audit body names as the app's client (`urn:housecall:client:{issuer}`, lib/audit audit-event.ts), if any. */
function issuerNamedIn(body: string): string | undefined {
  try {
    const event = JSON.parse(body) as { agent?: { who?: { identifier?: { system?: string } } }[] };
    const prefix = 'urn:housecall:client:';
    const system = (event.agent ?? []).map((a) => a.who?.identifier?.system).find((s) => s?.startsWith(prefix));
    return system?.slice(prefix.length);
  } catch {
    return undefined;
  }
}

type Fail = Extract<ChainCheck, { ok: false }>;

/**
 * Walks the anchors, then every chain, and reports the first thing that does not verify. What it
 * cannot see: rows cut from the tail of a chain after its last anchor (together with its
 * registration, if the chain is that new); the anchor interval bounds that window.
 */
export async function verifyAuditLog(db: Kysely<Database>): Promise<ChainCheck> {
  // 1. The anchors: their own chain, and the furthest head each records per chain.
  const anchors = await db.selectFrom('audit_anchors').selectAll().orderBy('seq', 'asc').execute();
  const expected = new Map<string, Map<number, { hash: string; anchorSeq: number }>>();
  let prevAnchor = GENESIS_HASH;
  for (const [i, a] of anchors.entries()) {
    const seq = Number(a.seq);
    if (seq !== i + 1) return { ok: false, count: 0, reason: 'anchor-gap', anchorSeq: seq };
    let heads: AnchorHead[];
    try {
      heads = JSON.parse(a.heads) as AnchorHead[];
    } catch {
      return { ok: false, count: 0, reason: 'anchor-mismatch', anchorSeq: seq };
    }
    if (a.prev_hash !== prevAnchor || anchorHash(prevAnchor, seq, Number(a.recorded_at), heads) !== a.hash) return { ok: false, count: 0, reason: 'anchor-mismatch', anchorSeq: seq };
    for (const [chainId, chainSeq, hash] of heads) expected.set(chainId, (expected.get(chainId) ?? new Map()).set(Number(chainSeq), { hash, anchorSeq: seq }));
    prevAnchor = a.hash;
  }

  // 2. The chains: every registered one and every one with rows.
  const registered = new Set((await db.selectFrom('audit_chains').select('chain_id').execute()).map((c) => c.chain_id));
  const withRows = new Set((await db.selectFrom('audit_events').select('chain_id').distinct().execute()).map((c) => c.chain_id));
  const chainIds = [...new Set([...registered, ...withRows])].sort();
  let count = 0;
  for (const chainId of chainIds) {
    const marks = expected.get(chainId) ?? new Map<number, { hash: string; anchorSeq: number }>();
    const result = await verifyChain(db, chainId, marks, count);
    if (!result.ok) return result;
    count = result.count;
    // A chain with no rows at all was registered with rows that were then deleted; without registration it must also have no rows.
    if (result.length === 0 && registered.has(chainId)) return { ok: false, count, reason: 'truncated', chainId };
    if (result.length > 0 && !registered.has(chainId) && chainId !== LEGACY_CHAIN_ID) return { ok: false, count, reason: 'unregistered-chain', chainId };
  }
  for (const [chainId, marks] of expected) {
    if (!withRows.has(chainId)) return { ok: false, count, reason: 'truncated', chainId, anchorSeq: Math.max(...[...marks.values()].map((m) => m.anchorSeq)) };
  }
  return { ok: true, count, chains: chainIds.length, anchors: anchors.length };
}

async function verifyChain(db: Kysely<Database>, chainId: string, marks: Map<number, { hash: string; anchorSeq: number }>, counted: number): Promise<Fail | { ok: true; count: number; length: number }> {
  const rows = await db.selectFrom('audit_events').selectAll().where('chain_id', '=', chainId).orderBy('chain_seq', 'asc').execute();
  let prev = GENESIS_HASH;
  let count = counted;
  for (const [i, r] of rows.entries()) {
    const seq = Number(r.seq);
    const at = { count, brokenAtSeq: seq, chainId };
    const chainSeq = Number(r.chain_seq);
    if (chainSeq !== i + 1) return { ok: false, ...at, reason: 'gap' };
    if (r.prev_hash !== prev) return { ok: false, ...at, reason: 'link-mismatch' };
    const { seq: _s, prev_hash: _p, hash, hash_version: v, ...content } = r;
    const version = Number(v);
    const allowed = chainId === LEGACY_CHAIN_ID ? version === 1 || version === 2 : version === AUDIT_HASH_VERSION;
    if (!allowed || chainHash(prev, { ...content, recorded_at: Number(content.recorded_at), chain_seq: chainSeq }, version) !== hash) return { ok: false, ...at, reason: 'hash-mismatch' };
    if (version === 1 && content.issuer_id !== null && content.issuer_id !== issuerNamedIn(content.body)) return { ok: false, ...at, reason: 'issuer-mismatch' };
    const mark = marks.get(chainSeq);
    if (mark && mark.hash !== hash) return { ok: false, ...at, reason: 'anchor-mismatch', anchorSeq: mark.anchorSeq };
    prev = hash;
    count++;
  }
  const furthest = Math.max(0, ...marks.keys());
  if (furthest > rows.length) return { ok: false, count, reason: 'truncated', chainId, anchorSeq: marks.get(furthest)!.anchorSeq };
  return { ok: true, count, length: rows.length };
}

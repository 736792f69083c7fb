/**
 * Issue 12 (review defect 10, probe a3): the three-way merge never silently resurrects a deleted
 * list entry, duplicates one, or loses a change when meaning keys repeat. Checked exhaustively
 * over small lists against a brute-force oracle that knows each entry's identity (which the
 * merge, seeing only content, does not): wherever the merge merges, it must give the oracle's
 * result; wherever the oracle sees a conflict, the merge must send the entry to review. A merge
 * may send to review what the oracle could merge (a false conflict: nothing lost, a person decides).
 */
import type { ContactPoint, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './content-hash';
import { mergePatient } from './merge';

type Entry = { id: number; use: 'home' | 'work'; value: string };
type Op = { kind: 'delete'; id: number } | { kind: 'edit'; id: number; value: string } | { kind: 'add'; value: string };

const toPatient = (entries: readonly Entry[], version: string): Patient => ({
  resourceType: 'Patient', id: 'p1', meta: { versionId: version },
  ...(entries.length ? { telecom: entries.map((e): ContactPoint => ({ system: 'phone', use: e.use, value: e.value })) } : {}),
});
const contents = (list: readonly { use?: string; value?: string }[]) => list.map((e) => `${e.use}:${e.value}`).sort();

function apply(base: readonly Entry[], ops: readonly Op[], nextId: { n: number }): Entry[] {
  let list = [...base];
  for (const op of ops) {
    if (op.kind === 'delete') list = list.filter((e) => e.id !== op.id);
    else if (op.kind === 'edit') list = list.map((e) => (e.id === op.id ? { ...e, value: op.value } : e));
    else list = [...list, { id: nextId.n++, use: 'home', value: op.value }];
  }
  return list;
}

/** What an identity-aware merge gives: the merged contents, or `conflict`. */
function oracle(base: readonly Entry[], mine: readonly Entry[], theirs: readonly Entry[]): string[] | 'conflict' {
  const out: string[] = [];
  for (const b of base) {
    const m = mine.find((e) => e.id === b.id);
    const t = theirs.find((e) => e.id === b.id);
    const changed = (x: Entry | undefined) => !x || x.value !== b.value;
    if (!changed(m) && !changed(t)) out.push(`${b.use}:${b.value}`);
    else if (!changed(m)) { if (t) out.push(`${t.use}:${t.value}`); }
    else if (!changed(t)) { if (m) out.push(`${m.use}:${m.value}`); }
    else if (!m && !t) continue;
    else if (m && t && m.value === t.value) out.push(`${m.use}:${m.value}`);
    else return 'conflict';
  }
  // Additions: the same content added on both sides is one change made twice.
  const adds = (side: readonly Entry[]) => side.filter((e) => !base.some((b) => b.id === e.id)).map((e) => `${e.use}:${e.value}`);
  const counts = new Map<string, number>();
  for (const side of [adds(mine), adds(theirs)]) {
    const here = new Map<string, number>();
    for (const c of side) here.set(c, (here.get(c) ?? 0) + 1);
    for (const [c, n] of here) counts.set(c, Math.max(counts.get(c) ?? 0, n));
  }
  for (const [c, n] of counts) for (let i = 0; i < n; i += 1) out.push(c);
  return out.sort();
}

function opsFor(base: readonly Entry[], values: readonly string[]): Op[][] {
  const single: Op[] = [
    ...base.map((e): Op => ({ kind: 'delete', id: e.id })),
    ...base.flatMap((e) => values.map((value): Op => ({ kind: 'edit', id: e.id, value }))),
    { kind: 'add', value: 'A' },
    { kind: 'add', value: values[0]! },
  ];
  // Deleting an entry and adding one with the same meaning key on one side is, to anyone who sees
  // only content, an edit of that entry (the edits cover it): left out, or the oracle would call
  // an edit a delete.
  const noOp = (a: Op, b: Op) => a.kind === 'delete' && b.kind === 'add' && base.find((e) => e.id === a.id)?.use === 'home';
  const out: Op[][] = [[]];
  for (const [i, a] of single.entries()) {
    out.push([a]);
    // Pairs in one order only (the other order gives the same lists), never twice on one entry.
    for (const b of single.slice(i + 1)) if (!('id' in a && 'id' in b && a.id === b.id) && !noOp(a, b)) out.push([a, b]);
  }
  return out;
}

function bases(): Entry[][] {
  const out: Entry[][] = [];
  const kinds: Omit<Entry, 'id'>[] = [{ use: 'home', value: 'A' }, { use: 'home', value: 'B' }, { use: 'work', value: 'A' }];
  // Lists up to three entries, as multisets (order does not matter to identity).
  const grow = (list: Entry[], from: number) => {
    if (list.length) out.push(list);
    if (list.length === 3) return;
    for (let k = from; k < kinds.length; k += 1) grow([...list, { id: list.length, ...kinds[k]! }], k);
  };
  grow([], 0);
  return out;
}

describe('mergePatient against an identity-aware oracle, exhaustively over small telecom lists', () => {
  it('never merges wrongly when meaning keys repeat; conflicts the oracle sees always go to review', { timeout: 120_000 }, () => {
    let cases = 0;
    let merged = 0;
    let falseConflicts = 0;
    const wrong: string[] = [];
    for (const base of bases()) {
      const mineOps = opsFor(base, ['X', 'B']);
      const theirsOps = opsFor(base, ['B']);
      for (const mo of mineOps) {
        for (const to of theirsOps) {
          const ids = { n: 100 };
          const mine = apply(base, mo, ids);
          const theirs = apply(base, to, ids);
          const expected = oracle(base, mine, theirs);
          const [b, m, t] = [toPatient(base, '1'), toPatient(mine, '1'), toPatient(theirs, '2')];
          // Identical copies on both sides: nothing to merge, the server's copy stands (identity is unobservable).
          if (canonicalJson(m.telecom ?? []) === canonicalJson(t.telecom ?? [])) continue;
          cases += 1;
          const result = mergePatient(b, m, t);
          if (result.kind === 'conflict') {
            if (expected !== 'conflict') falseConflicts += 1;
            continue;
          }
          merged += 1;
          const got = contents(result.resource.telecom ?? []);
          if (expected === 'conflict' || canonicalJson(got) !== canonicalJson(expected)) {
            wrong.push(`${contents(base)} | mine ${contents(mine)} | theirs ${contents(theirs)} → ${got} (oracle ${expected === 'conflict' ? 'conflict' : expected})`);
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(cases).toBeGreaterThan(10_000);
    // The merge still merges most of what it can prove (disjoint changes of entries with unique keys).
    expect(merged).toBeGreaterThan(cases / 10);
    expect(falseConflicts).toBeLessThan(cases);
  });
});

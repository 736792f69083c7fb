import type { Patient } from '@medplum/fhirtypes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sameContent } from './content-hash';
import { mergePatient } from './merge';

/**
 * A Patient as a map of merge units (one telecom per system+use, one address/name per use,
 * gender, birthDate), so edits can be generated per unit and results checked per unit.
 */
type Units = Record<string, string>;

const TELECOM = ['phone', 'email', 'sms'].flatMap((s) => ['home', 'work', 'mobile'].map((u) => `telecom:${s}|${u}`));
const ADDRESS = ['home', 'work', 'temp'].map((u) => `address:${u}`);
const NAME = ['official', 'nickname', 'maiden'].map((u) => `name:${u}`);
const UNITS = [...TELECOM, ...ADDRESS, ...NAME, 'gender', 'birthDate'];

function toPatient(units: Units, order: readonly string[], version: string): Patient {
  const p: Patient = { resourceType: 'Patient', id: 'p1', meta: { versionId: version } };
  for (const unit of order) {
    const value = units[unit];
    if (value === undefined) continue;
    const [kind, key = ''] = unit.split(':');
    if (kind === 'telecom') {
      const [system, use] = key.split('|');
      (p.telecom ??= []).push({ system: system as 'phone', use: use as 'home', value });
    } else if (kind === 'address') (p.address ??= []).push({ use: key as 'home', city: value });
    else if (kind === 'name') (p.name ??= []).push({ use: key as 'official', family: value });
    else if (kind === 'gender') p.gender = value as 'other';
    else if (kind === 'birthDate') p.birthDate = value;
  }
  return p;
}

function toUnits(p: Patient): Units {
  const u: Units = {};
  for (const t of p.telecom ?? []) u[`telecom:${t.system}|${t.use}`] = t.value!;
  for (const a of p.address ?? []) u[`address:${a.use}`] = a.city!;
  for (const n of p.name ?? []) u[`name:${n.use}`] = n.family!;
  if (p.gender) u.gender = p.gender;
  if (p.birthDate) u.birthDate = p.birthDate;
  return u;
}

const value = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const unitsArb = fc.dictionary(fc.constantFrom(...UNITS), value);
/** An edit of one unit: a new value, or removal (null). */
const editArb = fc.option(value, { nil: null });
const orderArb = fc.shuffledSubarray(UNITS, { minLength: UNITS.length, maxLength: UNITS.length });

function applyEdits(base: Units, edits: Record<string, string | null>): Units {
  const out = { ...base };
  for (const [k, v] of Object.entries(edits)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** Two edit sets over disjoint units, each actually changing something. */
const disjointArb = fc
  .record({ base: unitsArb, split: fc.shuffledSubarray(UNITS), mineEdits: fc.array(editArb, { minLength: UNITS.length, maxLength: UNITS.length }), theirEdits: fc.array(editArb, { minLength: UNITS.length, maxLength: UNITS.length }), cut: fc.nat(UNITS.length), orders: fc.tuple(orderArb, orderArb, orderArb) })
  .map(({ base, split, mineEdits, theirEdits, cut, orders }) => {
    const mineUnits = split.slice(0, cut);
    const theirUnits = split.slice(cut);
    const mine = Object.fromEntries(mineUnits.map((u, i) => [u, mineEdits[i] ?? null]));
    const theirs = Object.fromEntries(theirUnits.map((u, i) => [u, theirEdits[i] ?? null]));
    return { base, mine, theirs, orders };
  });

describe('mergePatient properties', () => {
  it('with no concurrent change, the result is my version', () => {
    fc.assert(
      fc.property(unitsArb, fc.dictionary(fc.constantFrom(...UNITS), editArb), orderArb, orderArb, (base, edits, baseOrder, myOrder) => {
        const b = toPatient(base, baseOrder, '1');
        const mine = toPatient(applyEdits(base, edits), myOrder, '1');
        const theirs = { ...b, meta: { versionId: '2' } };
        const result = mergePatient(b, mine, theirs);
        expect(result.kind).toBe('merged');
        if (result.kind === 'merged') {
          expect(sameContent(result.resource, mine)).toBe(true);
          expect(result.resource.meta?.versionId).toBe('2');
        }
      }),
    );
  });

  it('disjoint edits both survive, whatever the list order on each side', () => {
    fc.assert(
      fc.property(disjointArb, ({ base, mine, theirs, orders }) => {
        const b = toPatient(base, orders[0], '1');
        const m = toPatient(applyEdits(base, mine), orders[1], '1');
        const t = toPatient(applyEdits(base, theirs), orders[2], '2');
        const result = mergePatient(b, m, t);
        expect(result.kind).toBe('merged');
        if (result.kind === 'merged') expect(toUnits(result.resource)).toEqual(applyEdits(applyEdits(base, mine), theirs));
      }),
    );
  });

  it('disjoint edits commute: merging mine onto theirs equals theirs onto mine', () => {
    fc.assert(
      fc.property(disjointArb, ({ base, mine, theirs, orders }) => {
        const b = toPatient(base, orders[0], '1');
        const m = toPatient(applyEdits(base, mine), orders[0], '2');
        const t = toPatient(applyEdits(base, theirs), orders[0], '2');
        const one = mergePatient(b, m, t);
        const other = mergePatient(b, t, m);
        expect(one.kind).toBe('merged');
        expect(other.kind).toBe('merged');
        if (one.kind === 'merged' && other.kind === 'merged') expect(sameContent(one.resource, other.resource)).toBe(true);
      }),
    );
  });

  it('different edits of the same unit are always a conflict that names it', () => {
    fc.assert(
      fc.property(unitsArb, fc.constantFrom(...UNITS), value, value, (base, unit, v1, v2) => {
        fc.pre(v1 !== v2 && base[unit] !== v1 && base[unit] !== v2);
        const b = toPatient(base, UNITS, '1');
        const result = mergePatient(b, toPatient({ ...base, [unit]: v1 }, UNITS, '1'), toPatient({ ...base, [unit]: v2 }, UNITS, '2'));
        expect(result.kind).toBe('conflict');
        if (result.kind !== 'conflict') return;
        const [kind, key] = unit.split(':');
        expect(result.fields.map((f) => f.path)).toEqual([key === undefined ? kind : `${kind}[${key}]`]);
      }),
    );
  });
});

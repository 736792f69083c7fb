import type { AllergyIntolerance, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { diffFields } from './diff-fields';
import { enqueue } from './mutations';
import { mergePatient, resolveAutomatically, resolveConflict } from './merge';
import { transition, type OutboxEntry } from './outbox';

const seed = buildSeed();
const base = { ...seed.patients[0]!.patient, meta: { versionId: '4' } } as Patient & { id: string };
const allergy = { ...seed.patients[0]!.resources.find((r) => r.resourceType === 'AllergyIntolerance')!, meta: { versionId: '2' } } as AllergyIntolerance & { id: string };
const NOW = Date.parse('2031-02-03T04:05:06Z');
let n = 0;
const ctx = { now: NOW, newId: () => `id-${++n}` };

function serverEdit(p: Patient, change: (p: Patient) => Patient, version = '5'): Patient {
  return { ...change(structuredClone(p)), meta: { versionId: version } };
}

function inReview(entry: OutboxEntry, theirs: Patient | AllergyIntolerance): OutboxEntry {
  const result = resolveAutomatically(entry, theirs);
  if (result.kind !== 'conflict') throw new Error('expected a conflict');
  return transition(transition(entry, { type: 'send', at: NOW }), { type: 'conflict', conflict: { theirs, fields: result.fields, detectedAt: NOW } });
}

describe('three-way merge of Patient demographics', () => {
  it('keeps both sides of disjoint edits (my phone, their address)', () => {
    const mine = enqueue([], 'editTelecom', base, { system: 'phone', use: 'mobile', value: '555-0199' }, ctx).local as Patient;
    const theirs = serverEdit(base, (p) => ({ ...p, address: [{ ...p.address![0]!, city: 'Newtown' }] }));
    const result = mergePatient(base, mine, theirs);
    expect(result.kind).toBe('merged');
    if (result.kind !== 'merged') return;
    expect(result.resource.meta?.versionId).toBe('5');
    expect(result.resource.telecom?.find((t) => t.system === 'phone')?.value).toBe('555-0199');
    expect(result.resource.address?.[0]?.city).toBe('Newtown');
    expect(result.resource.birthDate).toBe(base.birthDate);
  });

  it('matches list entries by meaning, not position, when the server inserted one at the top', () => {
    const mine = enqueue([], 'editTelecom', base, { system: 'email', use: 'home', value: 'ada@new.example' }, ctx).local as Patient;
    const theirs = serverEdit(base, (p) => ({ ...p, telecom: [{ system: 'phone', use: 'work', value: '555-0300' }, ...p.telecom!] }));
    const result = mergePatient(base, mine, theirs);
    if (result.kind !== 'merged') throw new Error(JSON.stringify(result));
    expect(result.resource.telecom).toEqual(
      expect.arrayContaining([
        { system: 'phone', use: 'work', value: '555-0300' },
        { system: 'phone', value: '555-0101', use: 'mobile' },
        { system: 'email', value: 'ada@new.example', use: 'home' },
      ]),
    );
    expect(result.resource.telecom).toHaveLength(3);
  });

  it('merges name by use and preferred language, and takes a one-sided removal', () => {
    const mine = enqueue([], 'editPreferredLanguage', base, { code: 'es', display: 'Spanish' }, ctx).local as Patient;
    const theirs = serverEdit(base, (p) => ({ ...p, name: [...p.name!, { use: 'nickname', given: ['Addie'] }], telecom: p.telecom!.filter((t) => t.system !== 'email') }));
    const result = mergePatient(base, mine, theirs);
    if (result.kind !== 'merged') throw new Error(JSON.stringify(result));
    expect(result.resource.name?.map((x) => x.use)).toEqual(['official', 'nickname']);
    expect(result.resource.telecom?.map((t) => t.system)).toEqual(['phone']);
    expect(result.resource.communication?.find((c) => c.preferred)?.language.coding?.[0]?.code).toBe('es');
  });

  it('sends a conflict to review when both changed the same entry, naming exactly that entry', () => {
    const mine = enqueue([], 'editTelecom', base, { system: 'phone', use: 'mobile', value: '555-0199' }, ctx).local as Patient;
    const theirs = serverEdit(base, (p) => ({ ...p, telecom: p.telecom!.map((t) => (t.system === 'phone' ? { ...t, value: '555-0777' } : t)), address: [{ ...p.address![0]!, city: 'Newtown' }] }));
    const result = mergePatient(base, mine, theirs);
    expect(result).toEqual({
      kind: 'conflict',
      fields: [{ path: 'telecom[phone|mobile]', base: base.telecom![0], mine: { system: 'phone', value: '555-0199', use: 'mobile' }, theirs: { system: 'phone', value: '555-0777', use: 'mobile' } }],
    });
  });

  it('never merges clinical resources, even disjoint edits', () => {
    const mine = enqueue([], 'commentOnAllergy', allergy, { text: 'Mild rash only', author: { reference: 'Practitioner/prac-001' } }, ctx);
    const theirs = { ...allergy, criticality: allergy.criticality === 'high' ? ('low' as const) : ('high' as const), meta: { versionId: '3' } };
    const result = resolveAutomatically(mine.entry, theirs);
    expect(result.kind).toBe('conflict');
    if (result.kind === 'conflict') expect(result.fields.map((f) => f.path).sort()).toEqual(['criticality', 'note']);
  });
});

describe('diffFields', () => {
  it('reports the smallest differing elements with base, mine and theirs', () => {
    const mine = { ...base, telecom: [{ system: 'phone' as const, use: 'mobile' as const, value: '1' }], gender: 'female' as const };
    const theirs = { ...base, telecom: [{ system: 'phone' as const, use: 'mobile' as const, value: '2' }], gender: 'other' as const, meta: { versionId: '9' } };
    expect(diffFields(base, mine, theirs)).toEqual([
      { path: 'telecom[phone|mobile].value', base: '555-0101', mine: '1', theirs: '2' },
      { path: 'gender', base: 'female', mine: 'female', theirs: 'other' },
    ]);
    expect(diffFields(base, base, { ...base, meta: { versionId: '7' } })).toEqual([]);
  });
});

describe('resolving a review', () => {
  const mineChange = enqueue([], 'editTelecom', base, { system: 'phone', use: 'mobile', value: '555-0199' }, ctx);
  const theirs = serverEdit(base, (p) => ({ ...p, telecom: p.telecom!.map((t) => (t.system === 'phone' ? { ...t, value: '555-0777' } : t)) }), '6');
  const review = inReview(mineChange.entry, theirs);
  const who = 'Practitioner/prac-001';

  it('keep theirs: the entry is settled, the cache takes the server copy, and it is audited', () => {
    const { event, audit, cache } = resolveConflict(review, { decision: 'keep-theirs' }, { who, now: NOW });
    const settled = transition(review, event);
    expect(settled).toMatchObject({ state: 'synced', result: { id: base.id, version: '6', keptTheirs: true } });
    expect(cache).toEqual(theirs);
    expect(audit).toEqual({
      kind: 'sync-conflict-resolution', who, when: '2031-02-03T04:05:06.000Z', entryId: review.id, resource: `Patient/${base.id}`,
      mutation: 'editTelecom', decision: 'keep-theirs', fields: ['telecom[phone|mobile]'], baseVersion: '4', theirsVersion: '6',
    });
  });

  it('keep mine: re-based on the server version and pending again', () => {
    const { event, audit } = resolveConflict(review, { decision: 'keep-mine' }, { who, now: NOW });
    const again = transition(review, event);
    expect(again).toMatchObject({ state: 'pending', baseVersion: '6', payload: { meta: { versionId: '6' } } });
    expect((again.payload as Patient).telecom?.[0]?.value).toBe('555-0199');
    expect(again.baseCopy).toEqual(theirs);
    expect(audit).toMatchObject({ decision: 'keep-mine', fields: ['telecom[phone|mobile]'], theirsVersion: '6' });
  });

  it('edit: sends the edited copy and audits what differs from the server', () => {
    const edited = { ...theirs, telecom: theirs.telecom!.map((t) => (t.system === 'phone' ? { ...t, value: '555-0888' } : t)) };
    const { event, audit, cache } = resolveConflict(review, { decision: 'edit', resource: edited }, { who, now: NOW });
    const again = transition(review, event);
    expect((again.payload as Patient).telecom?.[0]?.value).toBe('555-0888');
    expect(again.baseVersion).toBe('6');
    expect(cache).toEqual(again.payload);
    expect(audit).toMatchObject({ decision: 'edit', fields: ['telecom[phone|mobile].value'] });
  });

  it('refuses to resolve an entry that is not in review', () => {
    expect(() => resolveConflict(mineChange.entry, { decision: 'keep-mine' }, { who, now: NOW })).toThrow(/not waiting for review/);
  });
});

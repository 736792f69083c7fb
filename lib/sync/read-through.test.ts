import type { AllergyIntolerance, Bundle, Condition, Patient, Resource } from '@medplum/fhirtypes';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { createOffline, purgeRecords, type PartitionOwner } from '@/lib/offline';
import { answerClass, createAnswerCache, typesIn } from './answer-cache';
import { AnswerError, readThrough, type AnswerCache } from './read-through';

const seed = buildSeed();
const patient = seed.patients[0]!.patient as Patient & { id: string };
const allergy = seed.patients[0]!.resources.find((r) => r.resourceType === 'AllergyIntolerance') as AllergyIntolerance;
const condition = seed.patients[0]!.resources.find((r) => r.resourceType === 'Condition') as Condition;
const owner: PartitionOwner = { issuer: 'https://ehr.test/fhir', fhirUser: 'Practitioner/prac-001', patient: patient.id };
const T0 = Date.parse('2026-03-02T14:05:00Z');
const HOUR = 3_600_000;

const ALLERGIES = `AllergyIntolerance?patient=Patient/${patient.id}`;
const CONDITIONS = `Condition?patient=Patient/${patient.id}&clinical-status=active`;
const MEDS = `MedicationRequest?patient=Patient/${patient.id}&_include=MedicationRequest:medication`;
const searchset = (...resources: Resource[]): Bundle => ({
  resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })),
});

async function setup(options: { indexedDB?: boolean; who?: PartitionOwner } = {}) {
  let clock = T0;
  const offline = createOffline({
    ...(options.indexedDB === false ? {} : { indexedDB: { indexedDB: new IDBFactory(), IDBKeyRange } }),
    now: () => clock,
  });
  const store = await offline.open(options.who ?? owner);
  const cache = createAnswerCache(store);
  let online = true;
  const server = new Map<string, unknown>([[ALLERGIES, searchset(allergy)], [CONDITIONS, searchset(condition)], [`Patient/${patient.id}`, patient]]);
  let failWith: AnswerError | undefined;
  const calls: string[] = [];
  const fetchAnswer = async (path: string) => {
    calls.push(path);
    if (failWith) throw failWith;
    if (!server.has(path)) throw new AnswerError(404, 'not-found');
    return server.get(path);
  };
  // Saves run in the background of a read; the test waits for them explicitly.
  const saves: Promise<void>[] = [];
  const tracked: AnswerCache = { ...cache, save: (...args) => { const p = cache.save(...args); saves.push(p); return p; } };
  const read = <T>(path: string) => readThrough<T>(path, { fetchAnswer, cache: Promise.resolve(tracked), online: () => online, now: () => clock });
  /** Waits for the background cache writes of earlier reads. */
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 0));
    await Promise.all(saves.splice(0));
  };
  return {
    offline, store, cache, read, settle, calls, server,
    goOffline: () => (online = false),
    failNext: (e: AnswerError | undefined) => (failWith = e),
    advance: (ms: number) => (clock += ms),
  };
}

describe('read-through cache', () => {
  it('answers from the network while it can, and from the device with the real fetch time when offline', async () => {
    const t = await setup();
    const fresh = await t.read<Bundle>(ALLERGIES);
    expect(fresh).toEqual({ body: searchset(allergy), fetchedAt: new Date(T0).toISOString(), fromCache: false });
    await t.settle();
    t.advance(2 * HOUR);
    t.goOffline();
    const saved = await t.read<Bundle>(ALLERGIES);
    expect(saved.fromCache).toBe(true);
    expect(saved.fetchedAt).toBe(new Date(T0).toISOString());
    expect(saved.body.entry?.[0]?.resource).toEqual(allergy);
    // Offline, the request is not even tried.
    expect(t.calls).toEqual([ALLERGIES]);
  });

  it('falls back to the saved copy when the request gets no answer or the EHR gateway is down', async () => {
    const t = await setup();
    await t.read(CONDITIONS);
    await t.settle();
    for (const failure of [new AnswerError(0, 'network'), new AnswerError(504, 'upstream-timeout'), new AnswerError(502, 'upstream-error')]) {
      t.failNext(failure);
      expect((await t.read(CONDITIONS)).fromCache).toBe(true);
    }
  });

  it('a fresh answer replaces the saved one', async () => {
    const t = await setup();
    await t.read(ALLERGIES);
    await t.settle();
    t.advance(HOUR);
    t.server.set(ALLERGIES, searchset());
    await t.read(ALLERGIES);
    await t.settle();
    t.goOffline();
    const saved = await t.read<Bundle>(ALLERGIES);
    expect(saved.body.entry).toEqual([]);
    expect(saved.fetchedAt).toBe(new Date(T0 + HOUR).toISOString());
  });

  it('never hides a refusal behind an old copy: session ended, consent or scope denied', async () => {
    const t = await setup();
    await t.read(ALLERGIES);
    await t.settle();
    for (const [status, outcome] of [[401, 'launch-ended'], [403, 'consent-denied'], [403, 'scope-not-granted'], [404, 'not-found']] as const) {
      t.failNext(new AnswerError(status, outcome));
      await expect(t.read(ALLERGIES)).rejects.toMatchObject({ outcome, status });
    }
  });

  it('a refusal of the data itself deletes the saved copy, so it does not come back offline', async () => {
    const t = await setup();
    await t.read(ALLERGIES);
    await t.read(CONDITIONS);
    await t.settle();
    t.failNext(new AnswerError(403, 'consent-denied'));
    await expect(t.read(ALLERGIES)).rejects.toMatchObject({ outcome: 'consent-denied' });
    t.failNext(new AnswerError(401, 'launch-ended'));
    await expect(t.read(CONDITIONS)).rejects.toMatchObject({ outcome: 'launch-ended' });
    t.failNext(undefined);
    t.goOffline();
    await expect(t.read(ALLERGIES)).rejects.toMatchObject({ outcome: 'network' });
    // An ended session is not a statement about the data: the saved copy stays for a relaunch.
    expect((await t.read(CONDITIONS)).fromCache).toBe(true);
  });

  it('with nothing saved, the network error reaches the view', async () => {
    const t = await setup();
    t.goOffline();
    await expect(t.read(ALLERGIES)).rejects.toMatchObject({ outcome: 'network', status: 0 });
    const u = await setup();
    u.failNext(new AnswerError(504, 'upstream-timeout'));
    await expect(u.read(ALLERGIES)).rejects.toMatchObject({ outcome: 'upstream-timeout' });
  });

  it('an answer past its retention is never shown: clinical after 72 hours, reference data kept longer', async () => {
    const t = await setup();
    t.server.set('Practitioner/prac-001', seed.practitioners[0]);
    await t.read(ALLERGIES);
    await t.read('Practitioner/prac-001');
    await t.settle();
    t.goOffline();
    t.advance(71 * HOUR);
    expect((await t.read(ALLERGIES)).fromCache).toBe(true);
    t.advance(2 * HOUR);
    await expect(t.read(ALLERGIES)).rejects.toMatchObject({ outcome: 'network' });
    expect((await t.read('Practitioner/prac-001')).fromCache).toBe(true);
  });

  it('one patient’s partition never sees another’s answers, even for the same path', async () => {
    const idb = { indexedDB: new IDBFactory(), IDBKeyRange };
    const offline = createOffline({ indexedDB: idb });
    const mine = createAnswerCache(await offline.open(owner));
    const theirs = createAnswerCache(await offline.open({ ...owner, patient: seed.patients[1]!.patient.id! }));
    const otherUser = createAnswerCache(await offline.open({ ...owner, fhirUser: 'Practitioner/prac-002' }));
    await mine.save(ALLERGIES, searchset(allergy), new Date(T0).toISOString());
    expect(await mine.read(ALLERGIES)).toBeDefined();
    expect(await theirs.read(ALLERGIES)).toBeUndefined();
    expect(await otherUser.read(ALLERGIES)).toBeUndefined();
  });

  it('works on memory alone where IndexedDB is refused (inside an EHR frame)', async () => {
    const t = await setup({ indexedDB: false });
    expect(t.store.persistent).toBe(false);
    await t.read(ALLERGIES);
    await t.settle();
    t.goOffline();
    expect((await t.read(ALLERGIES)).fromCache).toBe(true);
  });

  it('purges by resource type, including Bundles that merely include that type, and keeps drafts', async () => {
    const t = await setup();
    const medication = { resourceType: 'Medication' as const, id: 'med-1', code: { text: 'x' } };
    const request = { resourceType: 'MedicationRequest' as const, id: 'mr-1', status: 'active' as const, intent: 'order' as const, subject: { reference: `Patient/${patient.id}` }, medicationReference: { reference: 'Medication/med-1' } };
    t.server.set(MEDS, searchset(request, medication));
    for (const path of [ALLERGIES, CONDITIONS, MEDS]) await t.read(path);
    await t.settle();
    // A synced server copy and an unsent local copy of an allergy, as lib/sync stores them.
    await t.store.write({ put: [
      { cls: 'clinical', type: 'AllergyIntolerance', id: allergy.id!, value: allergy },
      { cls: 'drafts', type: 'AllergyIntolerance', id: 'local-1', value: { ...allergy, id: 'local-1' } },
    ] });

    expect(await t.cache.purgeTypes(['Medication'])).toBe(1);
    expect(await t.cache.read(MEDS)).toBeUndefined();
    expect(await t.cache.read(ALLERGIES)).toBeDefined();

    expect(await t.cache.purgeTypes(['AllergyIntolerance'])).toBe(2);
    expect(await t.cache.read(ALLERGIES)).toBeUndefined();
    expect(await t.store.get('AllergyIntolerance', allergy.id!)).toBeUndefined();
    expect(await t.store.get('AllergyIntolerance', 'local-1')).toBeDefined();
    expect(await t.cache.read(CONDITIONS)).toBeDefined();
    t.goOffline();
    await expect(t.read(ALLERGIES)).rejects.toMatchObject({ outcome: 'network' });
  });

  it('a consent purge (lib/offline purgeRecords) reaches the saved answers, by type and by label', async () => {
    const t = await setup();
    const labelled = { ...condition, id: 'cond-psy', meta: { security: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'PSY' }] } };
    t.server.set(CONDITIONS, searchset(condition, labelled));
    for (const path of [ALLERGIES, CONDITIONS]) await t.read(path);
    await t.settle();
    expect(await purgeRecords(t.store, { labelled: (labels) => labels.some((l) => l.code === 'PSY') })).toBe(1);
    expect(await t.cache.read(CONDITIONS)).toBeUndefined();
    expect(await t.cache.read(ALLERGIES)).toBeDefined();
    expect(await purgeRecords(t.store, { resourceTypes: ['AllergyIntolerance'] })).toBe(1);
    expect(await t.cache.read(ALLERGIES)).toBeUndefined();
  });

  it('classes answers: reference only when everything in them is reference data', () => {
    expect(answerClass('Practitioner/prac-001', ['Practitioner'])).toBe('reference');
    expect(answerClass('Medication?code=x', ['Medication'])).toBe('reference');
    expect(answerClass(MEDS, ['MedicationRequest', 'Medication'])).toBe('clinical');
    expect(answerClass(ALLERGIES, [])).toBe('clinical');
    expect(typesIn(searchset(allergy, condition)).sort()).toEqual(['AllergyIntolerance', 'Condition']);
    expect(typesIn(patient)).toEqual(['Patient']);
  });
});

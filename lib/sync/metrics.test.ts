import type { Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '@/fixtures';
import { failingDownloads, metricsSnapshot } from './metrics';
import { enqueue } from './mutations';
import { transition } from './outbox';

const seed = buildSeed();
const patient = { ...seed.patients[0]!.patient, meta: { versionId: '1' } } as Patient & { id: string };
const NOW = 10_000_000;

describe('metricsSnapshot', () => {
  it('counts queue, ages, conflicts, failures and cache age, and carries no PHI', () => {
    let n = 0;
    const ctx = (now: number) => ({ now, newId: () => `id-${++n}` });
    const pending = enqueue([], 'editTelecom', patient, { system: 'phone', use: 'mobile', value: '555-0199' }, ctx(NOW - 60_000)).entry;
    const reviewed = transition(transition(enqueue([], 'editAddress', patient, { use: 'home', address: { city: 'Secret City' } }, ctx(NOW - 5_000)).entry, { type: 'send', at: NOW }), {
      type: 'conflict',
      conflict: { theirs: patient, fields: [{ path: 'address[home]', base: patient.address, mine: 'Secret City', theirs: patient.address }], detectedAt: NOW },
    });
    const failed = transition(transition(enqueue([], 'draftNote', null, { patient: patient.id, text: 'Ada Testcase said …', author: { reference: 'Practitioner/prac-001' } }, ctx(NOW - 1_000)).entry, { type: 'send', at: NOW }), {
      type: 'fail',
      error: { code: 'Ada Testcase is not allowed', status: 403 },
    });
    const snapshot = metricsSnapshot({
      outbox: [pending, reviewed, failed],
      cache: { reference: { count: 0 }, clinical: { count: 3, newest: NOW - 7_000, oldest: NOW - 9_000 }, drafts: { count: 1, newest: NOW - 1_000 }, operational: { count: 4, newest: NOW } },
      counters: { retries: 4, dropped: 1, evicted: 2, damaged: 1 },
      now: NOW,
      persistent: true,
      persistenceGranted: false,
      downloadsFailing: { Observation: 'http-400', 'Condition?patient=pat-001': 'Ada Testcase refused' },
    });
    expect(snapshot).toEqual({
      queueDepth: 3,
      byState: { pending: 1, 'in-flight': 0, synced: 0, failed: 1, 'needs-review': 1 },
      oldestPendingAgeMs: 60_000,
      conflictsByResourceType: { Patient: 1 },
      failuresByCode: { other: 1 },
      retries: 4,
      dropped: 1,
      evicted: 2,
      damaged: 1,
      cacheAgeMs: { reference: null, clinical: 7_000, drafts: 1_000, operational: 0 },
      persistent: true,
      persistenceGranted: false,
      downloadsFailing: { Observation: 'http-400', other: 'other' },
    });
    const text = JSON.stringify(snapshot);
    for (const phi of [patient.id, 'Testcase', 'Ada', '555-', 'Secret City', 'prac-001']) expect(text).not.toContain(phi);
  });
});

describe('failingDownloads', () => {
  it('marks a type failing when one of its targets failed, clears it when all finished, keeps it when the round did not finish', () => {
    const first = failingDownloads({}, [
      { resourceType: 'Observation', status: 'done' },
      { resourceType: 'Observation', status: 'failed', code: 'http-400' },
      { resourceType: 'Condition', status: 'done' },
    ]);
    expect(first).toEqual({ Observation: 'http-400' });
    expect(failingDownloads(first, [{ resourceType: 'Observation', status: 'offline' }, { resourceType: 'Observation', status: 'retry' }])).toEqual({ Observation: 'http-400' });
    expect(failingDownloads(first, [{ resourceType: 'Observation', status: 'done' }, { resourceType: 'Observation', status: 'done' }])).toEqual({});
    expect(failingDownloads({}, [{ resourceType: 'Task', status: 'failed' }])).toEqual({ Task: 'other' });
  });
});

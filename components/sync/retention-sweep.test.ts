import { describe, expect, it } from 'vitest';
import { createMemoryBackend } from '@/lib/offline/backend';
import { generateStoreKeys } from '@/lib/offline/record-cipher';
import { createRecordStore } from '@/lib/offline/record-store';
import { withRetentionSweep } from './retention-sweep';

const HOUR = 3_600_000;

describe('withRetentionSweep (issue 12: expired rows are deleted by a clean-up that runs)', () => {
  it('deletes expired clinical copies from the device before each round, and keeps drafts', async () => {
    const backend = createMemoryBackend();
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const records = await createRecordStore({ partition: 'p1', backend, keys: await generateStoreKeys(), now: () => clock, onWipe: async () => {} });
    await records.write({ put: [{ cls: 'clinical', type: 'Observation', id: 'o1', value: { secret: 'x' } }, { cls: 'drafts', type: 'DocumentReference', id: 'd1', value: {} }] });
    const seen: string[][] = [];
    const round = withRetentionSweep(records, async () => {
      seen.push((await backend.list()).map((r) => r.type).filter((t) => !t.startsWith('housecall:')).sort());
      return 'ok';
    });
    expect(await round()).toBe('ok');
    clock += 73 * HOUR;
    expect(await round()).toBe('ok');
    expect(seen).toEqual([['DocumentReference', 'Observation'], ['DocumentReference']]);
  });

  it('runs the round when the clean-up fails', async () => {
    const round = withRetentionSweep({ sweep: () => Promise.reject(new Error('connection-lost')) }, async () => 'ran');
    expect(await round()).toBe('ran');
  });
});

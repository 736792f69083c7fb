import { describe, expect, it } from 'vitest';
import { ChartVisits } from './chart-visits';
import { StoreKey } from './index';
import { STORE_ADAPTERS } from './test-stores';

describe.each(STORE_ADAPTERS.map((a) => [a.name, a] as const))('on %s', (_name, adapter) => {
  const key = { fhirUser: 'Practitioner/prac-001', issuerId: 'sandbox', patientId: 'pat-001' };

  async function fixture() {
    let now = 1_000_000;
    const store = await adapter.open(StoreKey.ephemeral());
    return { visits: new ChartVisits(store.db, () => now), advance: (ms: number) => (now += ms) };
  }

  describe('chart visits', () => {
    it('are empty until the first open, which then becomes the baseline of the next launch', async () => {
      const { visits, advance } = await fixture();
      expect(await visits.lastOpenedBefore(key, 'L1')).toBeNull();
      await visits.recordOpen(key, 'L1');
      // A reload in the same launch still has no earlier visit.
      expect(await visits.lastOpenedBefore(key, 'L1')).toBeNull();
      advance(60_000);
      expect(await visits.lastOpenedBefore(key, 'L2')).toBe(1_000_000);
    });

    it('keep the baseline through reloads of one launch, and move it at the next launch', async () => {
      const { visits, advance } = await fixture();
      await visits.recordOpen(key, 'L1');
      advance(1_000);
      await visits.recordOpen(key, 'L2');
      advance(1_000);
      await visits.recordOpen(key, 'L2'); // reload: no change
      expect(await visits.lastOpenedBefore(key, 'L2')).toBe(1_000_000);
      advance(1_000);
      await visits.recordOpen(key, 'L3');
      expect(await visits.lastOpenedBefore(key, 'L3')).toBe(1_001_000);
    });

    it('are kept apart per clinician, issuer and patient', async () => {
      const { visits } = await fixture();
      await visits.recordOpen(key, 'L1');
      for (const other of [{ ...key, fhirUser: 'Practitioner/prac-002' }, { ...key, issuerId: 'epic' }, { ...key, patientId: 'pat-002' }]) {
        expect(await visits.lastOpenedBefore(other, 'L9')).toBeNull();
      }
      expect(await visits.lastOpenedBefore(key, 'L9')).toBe(1_000_000);
    });
  });
});

import type { RecordStore } from '@/lib/offline';

/**
 * A sync round preceded by the retention clean-up: copies past their class's retention are
 * deleted from the device (not only hidden), and the types they belonged to are downloaded again
 * by this round when the EHR can be reached (lib/offline record-store.ts notes them). A clean-up
 * that fails (storage busy or lost) never stops the round; the next round tries again.
 */
export function withRetentionSweep<A extends unknown[], R>(records: Pick<RecordStore, 'sweep'>, round: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    await records.sweep().catch(() => 0);
    return round(...args);
  };
}

/**
 * Noticing unsent changes the browser threw away while no page was open. Chromium and Firefox
 * evict a site's IndexedDB under storage pressure but keep its localStorage; Housecall's store then
 * opens empty, with a new generation (lib/offline record-store.ts), and nothing in it can say what
 * went. So each partition keeps, beside the store, a tally in localStorage: how many of its
 * changes were unsent, and in which generation of the store. A store that opens with another
 * generation while the tally counted changes lost them: the person is told how many, once.
 *
 * The tally holds a count and a random id, under the partition's hash: no PHI. A wipe Housecall
 * makes itself (sign-out, a consent revoked) clears it with the rest of its web storage
 * (lib/offline web-storage.ts), and tells the person what it discarded in its own words.
 * Storage cleared whole ("clear site data", Safari's seven-day cap on script-writable storage)
 * takes the tally too, and stays unnoticed.
 */
import { WEB_STORAGE_PREFIX } from '../offline/web-storage';

/** The parts of localStorage the tally uses. */
export interface TallyStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

interface Tally {
  generation: string;
  /** Unsent in the store of this generation. */
  count: number;
  /** Lost with earlier generations and not yet told. */
  lost: number;
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;

/** The key of a partition's tally (`partition` is the partition's hash, lib/offline partition.ts). */
export function tallyKey(partition: string): string {
  return `${WEB_STORAGE_PREFIX}:unsent:${partition}`;
}

function read(storage: TallyStorage, partition: string): Tally | undefined {
  try {
    const value = JSON.parse(storage.getItem(tallyKey(partition)) ?? 'null') as Partial<Tally> | null;
    return typeof value?.generation === 'string' && isCount(value.count) ? { generation: value.generation, count: value.count, lost: isCount(value.lost) ? value.lost : 0 } : undefined;
  } catch {
    return undefined;
  }
}

function write(storage: TallyStorage, partition: string, tally: Tally): void {
  try {
    storage.setItem(tallyKey(partition), JSON.stringify(tally));
  } catch {
    // Web storage refused (full, blocked in a frame): the store still works, only this notice is lost.
  }
}

/** The tally of one partition, bound to the generation of the store this tab opened. */
export interface UnsentTally {
  /** Changes counted unsent in earlier generations of the store, gone with them and not yet told; 0 when none. */
  readonly lostEarlier: number;
  /** Records how many changes are unsent in this tab's store now. */
  count(unsent: number): void;
  /** The person was told of the lost changes: they are not told again. */
  told(): void;
  /**
   * The store was emptied under this open page and the person told so (lost-storage.ts): what it
   * held is not told again on the next load, and the count stops, as the store is gone.
   */
  lostHere(): void;
}

/**
 * Reads the partition's tally against the store just opened (its generation), then keeps it for
 * that store. Until the person is told, the lost count stays in the tally, so a reload (or another
 * tab) tells it again. `storage` is undefined where localStorage is not available: nothing is noticed.
 */
export function openUnsentTally(storage: TallyStorage | undefined, partition: string, generation: string): UnsentTally {
  const before = storage ? read(storage, partition) : undefined;
  let frozen = false;
  let current: Tally = !before
    ? { generation, count: 0, lost: 0 }
    : before.generation === generation
      ? before
      : { generation, count: 0, lost: before.lost + before.count };
  const save = (next: Tally) => {
    if (frozen) return;
    current = next;
    if (storage) write(storage, partition, next);
  };
  if (current !== before) save(current);
  return {
    lostEarlier: current.lost,
    count(unsent) {
      if (current.count !== unsent) save({ ...current, count: unsent });
    },
    told() {
      if (current.lost !== 0) save({ ...current, lost: 0 });
    },
    lostHere() {
      save({ ...current, count: 0, lost: 0 });
      frozen = true;
    },
  };
}

/** What the person is told of changes lost while no page was open. */
export function lostEarlierSentence(n: number, audience: 'patient' | 'clinician'): string {
  const changes = n === 1 ? '1 change' : `${n} changes`;
  const record = audience === 'patient' ? 'your record' : 'the patient’s record';
  return `While Housecall was closed, this browser cleared its storage on this device — ${changes} made here earlier ${n === 1 ? 'was' : 'were'} not yet sent and did not reach ${record}: please make ${n === 1 ? 'it' : 'them'} again`;
}

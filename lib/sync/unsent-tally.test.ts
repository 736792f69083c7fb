import { describe, expect, it } from 'vitest';
import { openUnsentTally, tallyKey, type TallyStorage } from './unsent-tally';

function memoryStorage(): TallyStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

describe('the unsent tally beside the store', () => {
  it('counts nothing lost for a store it has seen, and keeps counting it', () => {
    const storage = memoryStorage();
    const first = openUnsentTally(storage, 'p1', 'g1');
    expect(first.lostEarlier).toBe(0);
    first.count(2);
    const again = openUnsentTally(storage, 'p1', 'g1');
    expect(again.lostEarlier).toBe(0);
  });

  it('tells the changes a store held when the browser replaced it while no page was open', () => {
    const storage = memoryStorage();
    openUnsentTally(storage, 'p1', 'g1').count(2);
    // IndexedDB evicted, localStorage kept: the store opens afresh, with a new generation.
    const reopened = openUnsentTally(storage, 'p1', 'g2');
    expect(reopened.lostEarlier).toBe(2);
  });

  it('tells them again after a reload until the person was told, and counts the new store’s changes meanwhile', () => {
    const storage = memoryStorage();
    openUnsentTally(storage, 'p1', 'g1').count(1);
    const shownOnce = openUnsentTally(storage, 'p1', 'g2');
    shownOnce.count(3);
    expect(openUnsentTally(storage, 'p1', 'g2').lostEarlier).toBe(1);
    openUnsentTally(storage, 'p1', 'g2').told();
    expect(openUnsentTally(storage, 'p1', 'g2').lostEarlier).toBe(0);
    // The new store's three changes are lost with it in turn, and only they.
    expect(openUnsentTally(storage, 'p1', 'g3').lostEarlier).toBe(3);
  });

  it('does not tell again what the open page already told, and stops counting a store that is gone', () => {
    const storage = memoryStorage();
    const open = openUnsentTally(storage, 'p1', 'g1');
    open.count(2);
    open.lostHere();
    open.count(2); // the tab still knows of them; the tally no longer counts
    expect(openUnsentTally(storage, 'p1', 'g2').lostEarlier).toBe(0);
  });

  it('adds up what two replacements took before anyone was told', () => {
    const storage = memoryStorage();
    openUnsentTally(storage, 'p1', 'g1').count(1);
    openUnsentTally(storage, 'p1', 'g2').count(2);
    expect(openUnsentTally(storage, 'p1', 'g3').lostEarlier).toBe(3);
  });

  it('keeps partitions apart and holds no PHI: a count and a random id under the partition’s hash', () => {
    const storage = memoryStorage();
    openUnsentTally(storage, 'p1', 'g1').count(4);
    expect(openUnsentTally(storage, 'p2', 'h1').lostEarlier).toBe(0);
    expect(JSON.parse(storage.items.get(tallyKey('p1'))!)).toEqual({ generation: 'g1', count: 4, lost: 0 });
    expect(tallyKey('p1')).toBe('housecall:unsent:p1');
  });

  it('counts nothing lost from an unreadable tally, and works without storage or when storage refuses', () => {
    const storage = memoryStorage();
    storage.items.set(tallyKey('p1'), '{not json');
    expect(openUnsentTally(storage, 'p1', 'g1').lostEarlier).toBe(0);
    storage.items.set(tallyKey('p1'), JSON.stringify({ generation: 'g0', count: -1 }));
    expect(openUnsentTally(storage, 'p1', 'g1').lostEarlier).toBe(0);
    expect(openUnsentTally(undefined, 'p1', 'g1').lostEarlier).toBe(0);
    const refusing: TallyStorage = { getItem: () => null, setItem: () => { throw new DOMException('full', 'QuotaExceededError'); } };
    const t = openUnsentTally(refusing, 'p1', 'g1');
    expect(() => t.count(1)).not.toThrow();
  });
});

describe('lostEarlierSentence', () => {
  it('says how many, that they did not reach the record, and what to do', async () => {
    const { lostEarlierSentence } = await import('./unsent-tally');
    expect(lostEarlierSentence(1, 'patient')).toBe('While Housecall was closed, this browser cleared its storage on this device — 1 change made here earlier was not yet sent and did not reach your record: please make it again');
    expect(lostEarlierSentence(3, 'clinician')).toMatch(/3 changes made here earlier were not yet sent and did not reach the patient’s record: please make them again$/);
  });
});

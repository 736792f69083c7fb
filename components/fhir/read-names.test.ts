import { describe, expect, it } from 'vitest';
import { FAILED_NAME_TTL_MS, NAME_TTL_MS, readNames } from './read-names';

function deps(answers: Record<string, unknown>) {
  let now = 1_000;
  const reads: string[] = [];
  const store = new Map<string, { at: number; name: string | null }>();
  return {
    reads,
    tick: (ms: number) => void (now += ms),
    deps: {
      read: async (key: string) => {
        reads.push(key);
        const a = answers[key];
        if (a === undefined) throw new Error('403');
        return a;
      },
      cache: store,
      now: () => now,
    },
  };
}

describe('one wave of name reads with a short-lived cache', () => {
  const prac = { resourceType: 'Practitioner', id: 'p1', name: [{ text: 'Dr. One' }] };
  const org = { resourceType: 'Organization', id: 'o1', name: 'Clinic' };

  it('reads each reference once, in parallel, and names a refused read as unavailable', async () => {
    const t = deps({ 'Practitioner/p1': prac, 'Organization/o1': org });
    const names = await readNames(['Practitioner/p1', 'Organization/o1', 'Location/l1', 'Practitioner/p1'], t.deps);
    expect(names).toEqual(new Map([['Practitioner/p1', 'Dr. One'], ['Organization/o1', 'Clinic'], ['Location/l1', null]]));
    expect(t.reads.sort()).toEqual(['Location/l1', 'Organization/o1', 'Practitioner/p1']);
  });

  it('answers from the cache until the name expires; retries a failed read sooner', async () => {
    const t = deps({ 'Practitioner/p1': prac });
    await readNames(['Practitioner/p1', 'Location/l1'], t.deps);
    t.tick(FAILED_NAME_TTL_MS - 1);
    await readNames(['Practitioner/p1', 'Location/l1'], t.deps);
    expect(t.reads).toHaveLength(2);
    t.tick(2);
    await readNames(['Practitioner/p1', 'Location/l1'], t.deps);
    expect(t.reads).toEqual(['Practitioner/p1', 'Location/l1', 'Location/l1']);
    t.tick(NAME_TTL_MS);
    await readNames(['Practitioner/p1'], t.deps);
    expect(t.reads.filter((k) => k === 'Practitioner/p1')).toHaveLength(2);
  });

  it('ignores an answer that is not the resource asked for', async () => {
    const t = deps({ 'Practitioner/p1': { ...prac, id: 'other' } });
    expect((await readNames(['Practitioner/p1'], t.deps)).get('Practitioner/p1')).toBeNull();
  });
});

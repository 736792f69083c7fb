import { describe, expect, it } from 'vitest';
import { createAnswerStore, DEDUPE_MS } from './answer-store';

/** A fetcher whose answers the test hands out, one call at a time. */
function deferredFetcher<T>() {
  const calls: { key: string; resolve(v: T): void; reject(e: unknown): void }[] = [];
  const fetcher = (key: string) => new Promise<T>((resolve, reject) => calls.push({ key, resolve, reject }));
  return { fetcher, calls };
}

const KEY = '/api/l/launch-1/fhir/Condition?_count=100';

describe('the answer store', () => {
  it('joins a request for the same key started within the dedupe window, and asks again after it', async () => {
    let clock = 1_000;
    const store = createAnswerStore(() => clock);
    const { fetcher, calls } = deferredFetcher<string>();
    const first = store.revalidate(KEY, fetcher, true);
    const second = store.revalidate(KEY, fetcher, true);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve('answer');
    await Promise.all([first, second]);
    expect(store.get(KEY)).toEqual({ data: 'answer', validating: false });
    clock += DEDUPE_MS - 1;
    void store.revalidate(KEY, fetcher, true);
    expect(calls).toHaveLength(1);
    clock += 1;
    void store.revalidate(KEY, fetcher, true);
    expect(calls).toHaveLength(2);
  });

  it('keeps only the latest request\'s outcome: an older request answering late changes nothing', async () => {
    const store = createAnswerStore(() => 0);
    const { fetcher, calls } = deferredFetcher<string>();
    const older = store.revalidate(KEY, fetcher, false);
    const newer = store.revalidate(KEY, fetcher, false);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('new');
    await newer;
    calls[0]!.resolve('old');
    await older;
    expect(store.get(KEY).data).toBe('new');
  });

  it('keeps the answer shown when a later request fails, with the error beside it', async () => {
    const store = createAnswerStore(() => 0);
    const { fetcher, calls } = deferredFetcher<string>();
    const ok = store.revalidate(KEY, fetcher, false);
    calls[0]!.resolve('saved copy');
    await ok;
    const failing = store.revalidate(KEY, fetcher, false);
    expect(store.get(KEY)).toEqual({ data: 'saved copy', validating: true });
    const offline = new Error('offline');
    calls[1]!.reject(offline);
    await failing;
    expect(store.get(KEY)).toEqual({ data: 'saved copy', error: offline, validating: false });
    // The next answer clears the error.
    const back = store.revalidate(KEY, fetcher, false);
    calls[2]!.resolve('fresh');
    await back;
    expect(store.get(KEY)).toEqual({ data: 'fresh', validating: false });
  });

  it('set puts an answer known otherwise and discards the request in flight', async () => {
    const store = createAnswerStore(() => 0);
    const { fetcher, calls } = deferredFetcher<string>();
    const inFlight = store.revalidate(KEY, fetcher, true);
    store.set(KEY, 'from the page');
    calls[0]!.resolve('late');
    await inFlight;
    expect(store.get(KEY)).toEqual({ data: 'from the page', validating: false });
  });

  it('revalidateWhere asks again for matching keys a view shows, not others, and the next mount of an unshown key asks afresh', async () => {
    const store = createAnswerStore(() => 0);
    const { fetcher, calls } = deferredFetcher<string>();
    const other = '/api/l/launch-1/fhir/AllergyIntolerance?_count=100';
    const unshown = '/api/l/launch-1/fhir/Condition?patient=p';
    const asked: string[] = [];
    store.mount(KEY, () => { asked.push(KEY); return store.revalidate(KEY, fetcher, false); });
    store.mount(other, () => { asked.push(other); return Promise.resolve(); });
    // An answer fetched a moment ago for a view no longer shown.
    const earlier = store.revalidate(unshown, fetcher, true);
    calls[0]!.resolve('earlier');
    await earlier;
    const done = store.revalidateWhere((key) => key.includes('/fhir/Condition'));
    expect(asked).toEqual([KEY]);
    calls[1]!.resolve('again');
    await done;
    expect(store.get(KEY).data).toBe('again');
    // Within the dedupe window, but told to revalidate: the next mount does not join the old request.
    void store.revalidate(unshown, fetcher, true);
    expect(calls).toHaveLength(3);
  });

  it('tells a key\'s listeners of each change, and only that key\'s', async () => {
    const store = createAnswerStore(() => 0);
    const { fetcher, calls } = deferredFetcher<string>();
    let heard = 0;
    let elsewhere = 0;
    const stop = store.subscribe(KEY, () => heard++);
    store.subscribe('/other', () => elsewhere++);
    const asked = store.revalidate(KEY, fetcher, false);
    calls[0]!.resolve('x');
    await asked;
    expect(heard).toBe(2); // validating, then the answer
    stop();
    store.set(KEY, 'y');
    expect(heard).toBe(2);
    expect(elsewhere).toBe(0);
  });

  it('counts a key as mounted while a view holds it', () => {
    const store = createAnswerStore(() => 0);
    const unmountA = store.mount(KEY, () => Promise.resolve());
    const unmountB = store.mount(KEY, () => Promise.resolve());
    unmountA();
    expect(store.mounted(KEY)).toBe(true);
    unmountB();
    expect(store.mounted(KEY)).toBe(false);
  });
});

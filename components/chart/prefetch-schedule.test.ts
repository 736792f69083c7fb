import { describe, expect, it } from 'vitest';
import { schedulePrefetch, type PrefetchTriggers } from './prefetch-schedule';

/** A clock, timers, a window and a document that the test moves by hand. */
function world() {
  let now = 0;
  let online = true;
  const timers: { at: number; fn: () => void; done: boolean }[] = [];
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const triggers: PrefetchTriggers = {
    win,
    doc,
    isOnline: () => online,
    now: () => now,
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn, done: false };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      (h as { done: boolean }).done = true;
    },
  };
  return {
    triggers,
    win,
    doc,
    advance(ms: number) {
      now += ms;
      for (const t of timers) if (!t.done && t.at <= now) {
        t.done = true;
        t.fn();
      }
    },
    setOnline(v: boolean) {
      online = v;
    },
  };
}

describe('chart prefetch schedule', () => {
  it('prefetches once after the first screen and never again on its own, however long the chart stays open', () => {
    const w = world();
    let runs = 0;
    schedulePrefetch(() => runs++, w.triggers, { firstDelayMs: 1_500, minGapMs: 60_000 });
    w.advance(1_000);
    expect(runs).toBe(0);
    w.advance(500);
    expect(runs).toBe(1);
    for (let i = 0; i < 60; i++) w.advance(60_000); // an hour open, untouched
    expect(runs).toBe(1);
  });

  it('refreshes when the clinician comes back, once for a focus and visibility pair, not again within the gap', () => {
    const w = world();
    let runs = 0;
    schedulePrefetch(() => runs++, w.triggers, { firstDelayMs: 1_500, minGapMs: 60_000 });
    w.advance(1_500);
    w.advance(5 * 60_000);
    w.doc.visibilityState = 'visible';
    w.doc.dispatchEvent(new Event('visibilitychange'));
    w.win.dispatchEvent(new Event('focus'));
    expect(runs).toBe(2);
    w.advance(10_000);
    w.win.dispatchEvent(new Event('focus'));
    expect(runs).toBe(2);
    w.doc.visibilityState = 'hidden';
    w.advance(60_000);
    w.doc.dispatchEvent(new Event('visibilitychange'));
    expect(runs).toBe(2); // hidden: nobody is looking
  });

  it('refreshes at once when the network returns, and does nothing while offline', () => {
    const w = world();
    let runs = 0;
    schedulePrefetch(() => runs++, w.triggers, { firstDelayMs: 1_500, minGapMs: 60_000 });
    w.setOnline(false);
    w.advance(1_500);
    w.win.dispatchEvent(new Event('focus'));
    expect(runs).toBe(0);
    w.setOnline(true);
    w.win.dispatchEvent(new Event('online'));
    expect(runs).toBe(1);
    w.win.dispatchEvent(new Event('online')); // a flapping network still refreshes each time it comes back
    expect(runs).toBe(2);
  });

  it('stops listening once stopped', () => {
    const w = world();
    let runs = 0;
    const stop = schedulePrefetch(() => runs++, w.triggers, { firstDelayMs: 1_500, minGapMs: 60_000 });
    stop();
    w.advance(2_000);
    w.win.dispatchEvent(new Event('online'));
    w.win.dispatchEvent(new Event('focus'));
    expect(runs).toBe(0);
  });
});

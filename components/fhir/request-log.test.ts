import { describe, expect, it } from 'vitest';
import { statsOf } from './request-log';

describe('round trips', () => {
  it('count requests that start together as one wave, however long they take', () => {
    expect(statsOf([{ start: 0, end: 50 }, { start: 1, end: 400 }, { start: 2, end: 90 }])).toEqual({ requests: 3, pending: 0, roundTrips: 1 });
  });
  it('count a request that starts after another finished as a further wave', () => {
    expect(statsOf([{ start: 0, end: 50 }, { start: 60, end: 100 }, { start: 120 }])).toEqual({ requests: 3, pending: 1, roundTrips: 3 });
  });
  it('take the longest chain, not the number of late requests', () => {
    expect(statsOf([{ start: 0, end: 10 }, { start: 0, end: 500 }, { start: 20, end: 30 }, { start: 21, end: 40 }])).toMatchObject({ roundTrips: 2 });
  });
  it('are zero when nothing was fetched', () => {
    expect(statsOf([])).toEqual({ requests: 0, pending: 0, roundTrips: 0 });
  });
});

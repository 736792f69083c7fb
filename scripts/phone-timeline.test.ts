import { describe, expect, it } from 'vitest';
import { housecallShare, type DocumentLoad } from './phone-timeline';

const doc = (path: string, start: number, lastByte: number): DocumentLoad => ({ path, status: 200, start, firstByte: lastByte, lastByte, bytes: 0 });
const T0 = 1_000_000;

describe('housecallShare', () => {
  // The chart's second visit as the sandbox serves it: the EHR's page, Housecall's /launch, the
  // EHR's three authorization hops, Housecall's /redirect and the page; painted 250 ms after it.
  const visit = [
    doc('127.0.0.1:4010/ehr', T0 - 300, 200), // before the action: not counted
    doc('localhost:3000/l/old/chart', T0 - 900, 150), // an earlier visit's page: not counted
    doc('127.0.0.1:4010/ehr', T0 + 10, 190),
    doc('localhost:3000/launch', T0 + 320, 170),
    doc('127.0.0.1:4010/oidc/auth', T0 + 500, 160),
    doc('127.0.0.1:4010/oidc/interaction/x', T0 + 670, 156),
    doc('127.0.0.1:4010/oidc/auth/x', T0 + 830, 158),
    doc('localhost:3000/redirect', T0 + 995, 166),
    doc('localhost:3000/l/new/chart', T0 + 1_165, 98),
  ];

  it('counts Housecall\'s documents after the action and the time from the page to the paint', () => {
    const painted = 1_165 + 98 + 250;
    expect(housecallShare(visit, 'localhost:3000', { t0Epoch: T0, painted })).toBe(170 + 166 + 98 + 250);
  });

  it('does not depend on the order the documents were reported in', () => {
    const painted = 1_165 + 98 + 250;
    expect(housecallShare([...visit].reverse(), 'localhost:3000', { t0Epoch: T0, painted })).toBe(170 + 166 + 98 + 250);
  });

  it('refuses a visit in which Housecall served nothing after the action', () => {
    expect(() => housecallShare(visit.slice(0, 3), 'localhost:3000', { t0Epoch: T0, painted: 500 })).toThrow(/no document from localhost:3000/);
  });
});

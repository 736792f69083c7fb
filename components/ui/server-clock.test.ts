import { afterEach, describe, expect, it } from 'vitest';
import type { Provenance } from '@/lib/fhir/compose/provenance';
import { sourceSummary } from './ages';
import { noteDateHeader, noteServerTime, onServerClock } from './server-clock';

const SERVER_NOW = Date.parse('2026-03-02T10:00:00Z');
const HOUR = 3_600_000;
const provenance = (lastUpdated: string): Provenance => ({ source: 'Sandbox EHR', resourceType: 'Condition', id: 'c1', versionId: '3', lastUpdated, fetchedAt: new Date(SERVER_NOW).toISOString() });

describe('ages counted on the EHR’s clock', () => {
  afterEach(() => noteServerTime(0, 0));

  it('calls a record changed a minute ago "1 min ago" on a device two hours fast, once an answer’s Date has been seen', () => {
    const device = SERVER_NOW + 2 * HOUR;
    const p = provenance(new Date(SERVER_NOW - 60_000).toISOString());
    expect(sourceSummary(p, device)).toBe('Sandbox EHR · version 3 · updated 2 hours ago');
    noteDateHeader(new Date(SERVER_NOW).toUTCString(), device);
    expect(sourceSummary(p, device)).toBe('Sandbox EHR · version 3 · updated 1 min ago');
  });

  it('calls a record changed an hour ago "1 hour ago" on a device an hour slow, not "just now"', () => {
    const device = SERVER_NOW - HOUR;
    const p = provenance(new Date(SERVER_NOW - HOUR).toISOString());
    noteServerTime(SERVER_NOW, device);
    expect(sourceSummary(p, device)).toBe('Sandbox EHR · version 3 · updated 1 hour ago');
  });

  it('leaves a clock that is right alone: a second on the wire or in the header’s rounding is not a wrong clock', () => {
    noteDateHeader(new Date(SERVER_NOW - 1_500).toUTCString(), SERVER_NOW);
    expect(onServerClock(SERVER_NOW)).toBe(SERVER_NOW);
    noteServerTime(SERVER_NOW + 3_000, SERVER_NOW);
    expect(onServerClock(SERVER_NOW)).toBe(SERVER_NOW);
  });

  it('ignores a missing or unreadable Date and keeps what it learned', () => {
    noteServerTime(SERVER_NOW, SERVER_NOW + HOUR);
    noteDateHeader(null, SERVER_NOW);
    noteDateHeader('not a date', SERVER_NOW);
    expect(onServerClock(SERVER_NOW + HOUR)).toBe(SERVER_NOW);
  });
});

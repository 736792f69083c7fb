import { describe, expect, it } from 'vitest';
import { onDeviceClock } from './server-answers';

describe('answers that came with the page, on the device’s clock', () => {
  const served = Date.parse('2026-11-01T10:00:00.000Z');
  const answers = {
    '/api/l/L/fhir/Condition': { body: { resourceType: 'Bundle' }, fetchedAt: '2026-11-01T09:59:59.500Z' },
    '/api/l/L/fhir/Patient/p': { body: { resourceType: 'Patient' }, fetchedAt: 'not a time' },
  };

  it('keeps each answer’s age but reads it on a device clock ten minutes fast', () => {
    const device = served + 10 * 60_000 + 1_200; // ten minutes fast, and the page took 1.2 s to arrive
    const moved = onDeviceClock(answers, served, device);
    expect(moved['/api/l/L/fhir/Condition']!.fetchedAt).toBe('2026-11-01T10:10:00.700Z');
    // As old when the page arrived as it was when the server sent it.
    expect(device - Date.parse(moved['/api/l/L/fhir/Condition']!.fetchedAt)).toBe(500);
    expect(moved['/api/l/L/fhir/Condition']!.body).toBe(answers['/api/l/L/fhir/Condition'].body);
    // An unreadable time is taken as now.
    expect(moved['/api/l/L/fhir/Patient/p']!.fetchedAt).toBe(new Date(device).toISOString());
  });

  it('on a device clock that is slow, too', () => {
    const moved = onDeviceClock(answers, served, served - 3 * 3_600_000);
    expect(moved['/api/l/L/fhir/Condition']!.fetchedAt).toBe('2026-11-01T06:59:59.500Z');
  });
});

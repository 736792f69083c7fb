import { describe, expect, it } from 'vitest';
import { FIXTURE_NOW, VISIT_LOCATION, VISIT_LOCATION_ID, visitPlan } from '@/fixtures';
import { toAppointmentLists } from '@/lib/fhir';
import { bundleOf, chartOf, ctx, theSeed } from '@/lib/fhir/compose/testing';
import { nextAppointmentItem } from './next-appointment';

const plan = visitPlan('pat-003');
const appts = chartOf('pat-003').of('Appointment');
const location = theSeed().shared.find((r) => r.id === VISIT_LOCATION_ID)!;
const actx = { ...ctx, names: new Map([['Practitioner/prac-002', 'Dr. Sam Simulacrum']]), locations: new Map([[`Location/${VISIT_LOCATION_ID}`, location as never]]) };

describe('nextAppointmentItem', () => {
  it('names the next booked visit, its local time and place, and links to it', () => {
    const item = nextAppointmentItem(toAppointmentLists(bundleOf(appts), actx, Date.parse(FIXTURE_NOW)), 'L1', 'Asia/Kolkata', 'en-US')!;
    expect(item.kind).toBe('appointment');
    expect(item.title).toBe('Heart check-up with Dr. Sam Simulacrum');
    const time = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Kolkata', hour: 'numeric', minute: '2-digit' }).format(new Date(plan.next.start));
    expect(item.detail?.replace(/\s/g, ' ')).toContain(time.replace(/\s/g, ' '));
    expect(item.detail).toContain(VISIT_LOCATION.name);
    expect(item.href).toBe(`/l/L1/portal/appointments#appt-${plan.next.id}`);
  });
  it('is null when nothing booked is ahead (everything past, or only proposed and cancelled)', () => {
    expect(nextAppointmentItem(toAppointmentLists(bundleOf(appts), actx, Date.parse('2030-01-01T00:00:00Z')), 'L1')).toBeNull();
    const unsure = appts.filter((a) => ['proposed', 'cancelled'].includes((a as { status: string }).status));
    expect(nextAppointmentItem(toAppointmentLists(bundleOf(unsure), actx, Date.parse(FIXTURE_NOW)), 'L1')).toBeNull();
  });
});

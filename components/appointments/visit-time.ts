import type { AppointmentView } from '@/lib/fhir/compose/appointments';

/**
 * An appointment's time in words, in the time zone given (the browser's, by default): "Saturday,
 * November 7, 2026" and "8:00 PM – 8:40 PM", with the zone named so a person travelling knows
 * which clock it is on. Pure; tests pass the zone.
 */
export interface VisitTime {
  date: string;
  time: string;
  zone: string;
}

function parts(instant: string, timeZone: string | undefined, locale: string | undefined) {
  const at = new Date(instant);
  const opts = timeZone ? { timeZone } : {};
  const date = new Intl.DateTimeFormat(locale, { ...opts, weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(at);
  const time = new Intl.DateTimeFormat(locale, { ...opts, hour: 'numeric', minute: '2-digit' }).format(at);
  const zone = new Intl.DateTimeFormat(locale, { ...opts, timeZoneName: 'long' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return { date, time, zone };
}

export function visitTime(v: Pick<AppointmentView, 'start' | 'end' | 'minutesDuration' | 'requested'>, timeZone?: string, locale?: string): VisitTime | undefined {
  if (v.start) {
    const start = parts(v.start, timeZone, locale);
    const endAt = v.end ?? (v.minutesDuration ? new Date(Date.parse(v.start) + v.minutesDuration * 60_000).toISOString() : undefined);
    if (!endAt) return { date: start.date, time: `${start.time} (end time not given)`, zone: start.zone };
    const end = parts(endAt, timeZone, locale);
    return { date: start.date, time: end.date === start.date ? `${start.time} – ${end.time}` : `${start.time} – ${end.date}, ${end.time}`, zone: start.zone };
  }
  if (v.requested?.start) {
    const from = parts(v.requested.start, timeZone, locale);
    const to = v.requested.end ? parts(v.requested.end, timeZone, locale) : undefined;
    return { date: to ? `Time to be agreed, between ${from.date} and ${to.date}` : `Time to be agreed, from ${from.date}`, time: '', zone: from.zone };
  }
  return undefined;
}

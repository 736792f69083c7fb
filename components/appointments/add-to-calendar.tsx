'use client';
import { useState } from 'react';
import type { AppointmentView } from '@/lib/fhir/compose/appointments';
import { laterChunk, useLaterChunk } from '@/components/ui/later-chunk';
import { saveFile } from '@/components/visits/save-file';
import { calendarFileName, toCalendarEvent } from './calendar-event';

/** The calendar file writer, needed only when the button is pressed: asked for as the list shows (later-chunk.ts). */
const icsCode = laterChunk(() => import('@/lib/calendar/ics'));

/**
 * "Add to calendar": the .ics file is written here in the browser and handed over as a
 * download, so the visit's details never travel in a URL or through a server.
 */
export function AddToCalendar({ visit, issuerId }: { visit: AppointmentView; issuerId: string }) {
  const [problem, setProblem] = useState<string | null>(null);
  const ics = useLaterChunk(icsCode);
  const event = toCalendarEvent(visit, issuerId);
  if (!event) return null;
  const add = async () => {
    try {
      const { writeIcs } = ics ?? (await icsCode.load());
      const text = writeIcs([event], new Date());
      saveFile(new Blob([text], { type: 'text/calendar;charset=utf-8' }), calendarFileName(visit));
      setProblem(null);
    } catch {
      setProblem('This appointment’s time could not be read, so it cannot be added to a calendar. Ask your clinic for the details.');
    }
  };
  return (
    <div>
      <button type="button" onClick={() => void add()} className="mt-2 inline-flex min-h-11 min-w-11 items-center rounded-[var(--hc-radius,0.5rem)] border border-[var(--hc-accent,#1d4ed8)] px-3 text-[var(--hc-accent,#1d4ed8)]" data-testid="add-to-calendar">
        Add to calendar
      </button>
      {problem ? <p role="alert" className="mt-1 text-sm text-red-800">{problem}</p> : null}
    </div>
  );
}

'use client';
import type { AppointmentView } from '@/lib/fhir/compose/appointments';
import { Freshness } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { useNow } from '@/components/ui/use-now';
import { AddToCalendar } from './add-to-calendar';
import { useAppointments } from './use-appointments';
import { visitTime } from './visit-time';

function Visit({ v, issuerId, upcoming }: { v: AppointmentView; issuerId: string; upcoming: boolean }) {
  const when = visitTime(v);
  const off = v.status === 'cancelled' || v.status === 'noshow';
  return (
    <li id={`appt-${v.id}`} className="py-3" data-testid="appointment" data-status={v.status} data-start={v.start ?? ''}>
      <div className="flex items-start justify-between gap-2">
        <h3 className={`font-medium ${off ? 'line-through' : ''}`} data-testid="appointment-title">{v.title}</h3>
        <span className="shrink-0 rounded bg-gray-100 px-2 text-sm text-gray-800" data-testid="appointment-status">{v.statusWords}</span>
      </div>
      {when ? (
        <p className="text-gray-900" data-testid="appointment-when">
          {v.start ? <time dateTime={v.start}>{when.date}</time> : when.date}
          {when.time ? <>, <span data-testid="appointment-time">{when.time}</span></> : null}
          {when.zone ? <span className="block text-sm text-gray-700">{when.zone}</span> : null}
        </p>
      ) : <p className="text-gray-700">Time not given</p>}
      {v.place ? (
        <p className="text-sm text-gray-800" data-testid="appointment-place">
          <span className="font-medium">{v.place.name}</span>
          {v.place.address ? <span className="block">{v.place.address}</span> : null}
        </p>
      ) : null}
      {v.people.length ? <p className="text-sm text-gray-800" data-testid="appointment-people">With {v.people.join(', ')}</p> : null}
      {v.cancellationReason ? <p className="text-sm text-gray-800">Reason: {v.cancellationReason}</p> : null}
      {v.instructions && upcoming && !off ? <p className="mt-1 rounded bg-gray-50 p-2 text-sm whitespace-pre-wrap" data-testid="appointment-instructions">{v.instructions}</p> : null}
      {upcoming && !off ? <AddToCalendar visit={v} issuerId={issuerId} /> : null}
    </li>
  );
}

/** Upcoming appointments (soonest first, with "Add to calendar"), then past ones. */
export function AppointmentList({ launchId, source, issuerId, nameTypes }: { launchId: string; source: string; issuerId: string; nameTypes: readonly string[] }) {
  const now = useNow();
  const { lists, isLoading, outcome, fetchedAt, fromCache } = useAppointments(launchId, source, now, nameTypes);
  return (
    <div data-testid="appointments">
      <Freshness fetchedAt={fetchedAt} now={now} offline={fromCache} />
      {isLoading ? <p role="status">Loading…</p> : null}
      {outcome ? <OutcomeMessage outcome={outcome} /> : null}
      {lists ? (
        <>
          <section aria-labelledby="upcoming-title" className="mt-3">
            <h2 id="upcoming-title" className="text-lg font-semibold">Coming up</h2>
            {lists.upcoming.length ? (
              <ul className="divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3" data-testid="upcoming">
                {lists.upcoming.map((v) => <Visit key={v.key} v={v} issuerId={issuerId} upcoming />)}
              </ul>
            ) : <p className="text-gray-700">No appointments coming up.</p>}
          </section>
          <section aria-labelledby="past-title" className="mt-4">
            <h2 id="past-title" className="text-lg font-semibold">Past</h2>
            {lists.past.length ? (
              <ul className="divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3" data-testid="past">
                {lists.past.map((v) => <Visit key={v.key} v={v} issuerId={issuerId} upcoming={false} />)}
              </ul>
            ) : <p className="text-gray-700">No past appointments.</p>}
          </section>
        </>
      ) : null}
    </div>
  );
}

'use client';
import type { ListItemView } from '@/lib/fhir/compose/items';
import { FlagBadge } from '@/components/ui/flag-badge';
import { SourceLine } from '@/components/ui/freshness';
import { SourcePanel } from '@/components/ui/source-panel';
import { useTimeZone } from '@/components/ui/use-time-zone';
import { calendarDay } from '@/lib/fhir/compose/datatypes';

/** One entry of a detail list: what it is, its state, its text, and its full source on demand. */
export function EntryItem({ item, now, children }: { item: ListItemView; now: number; children?: React.ReactNode }) {
  // An instant (a visit's start, sent in UTC) under the reader's day; a date as written.
  const day = calendarDay(item.date, useTimeZone());
  return (
    <li className="py-3" data-testid="detail-item" data-state={item.state}>
      <div className="flex items-start justify-between gap-2">
        <span className={`font-medium ${item.state === 'entered-in-error' ? 'line-through' : ''}`}>{item.title}</span>
        <span className="flex flex-wrap justify-end gap-1">
          {item.flag ? <FlagBadge kind={item.flag} /> : null}
          {item.state !== 'active' ? <FlagBadge kind={item.state} /> : null}
          {item.status ? <FlagBadge kind="status" label={item.status} /> : null}
        </span>
      </div>
      {item.date && day ? <div className="text-sm text-gray-700"><time dateTime={item.date}>{day}</time></div> : null}
      {item.detail ? <div className="text-sm text-gray-700">{item.detail}</div> : null}
      {item.body ? <p className="mt-2 rounded bg-gray-50 p-2 text-sm whitespace-pre-wrap" data-testid="item-body">{item.body}</p> : null}
      <details className="mt-1">
        <summary className="flex min-h-11 cursor-pointer items-center gap-2 text-sm">
          <span className="text-[var(--hc-accent,#1d4ed8)] underline">Source</span>
          <SourceLine p={item.provenance} now={now} />
        </summary>
        <SourcePanel p={item.provenance} now={now} />
      </details>
      {children}
    </li>
  );
}

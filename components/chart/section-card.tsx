import { AppLink } from '@/components/ui/app-link';
import type { ListItemView } from '@/lib/fhir/compose/items';
import { FlagBadge } from '@/components/ui/flag-badge';
import { Freshness, SourceLine } from '@/components/ui/freshness';
import { SourcesDisclosure } from '@/components/ui/sources-disclosure';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { PartialNotice } from '@/components/ui/partial-notice';
import { firstEntryTiming } from '@/lib/perf-marks';

export interface SectionStatus {
  isLoading: boolean;
  /** Requests of this section that failed, each named when the section has several. */
  outcomes: { label?: string; outcome: string }[];
  fetchedAt?: string;
  /** Some of it is the device's saved copy (the EHR could not be reached). */
  offline?: boolean;
  /** An answer is less than the whole list (items.ts answerGap): the EHR left entries out, or sent only its first page. */
  partial?: 'withheld' | 'more';
  /** `fetchedAt` is on Housecall's server's clock (a first screen the server composed), not this device's. */
  serverClock?: boolean;
}

/** One summary card: freshness, the first few entries with their sources, or why there are none. */
export function SectionCard(props: { id: string; title: string; href?: string; items: ListItemView[] | undefined; status: SectionStatus; empty: string; now?: number | undefined; limit?: number; sourcesCollapsed?: boolean }) {
  const { id, title, href, items, status, empty, now, limit = 5, sourcesCollapsed = false } = props;
  const shown = items?.slice(0, limit);
  const count = items ? <span className="ml-1 text-sm font-normal text-gray-700">({items.length})</span> : null;
  return (
    <section aria-labelledby={`${id}-title`} data-testid={`section-${id}`} className="rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white p-3">
      <div className="flex flex-wrap items-center justify-between gap-x-2">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {href ? (
            <AppLink href={href} className="flex min-h-11 items-center gap-1 text-[var(--hc-accent,#1d4ed8)] underline-offset-2 hover:underline" data-testid="section-open">
              {title}{count}<span aria-hidden="true">›</span>
            </AppLink>
          ) : (
            <span className="flex min-h-11 items-center">{title}{count}</span>
          )}
        </h2>
        <Freshness fetchedAt={status.fetchedAt} now={now} offline={status.offline ?? false} serverClock={status.serverClock ?? false} />
      </div>
      {status.isLoading ? <p className="text-gray-700" role="status">Loading…</p> : null}
      {status.outcomes.map((o) => <OutcomeMessage key={o.label ?? o.outcome} {...o} />)}
      {status.partial ? <PartialNotice partial={status.partial} /> : null}
      {shown && shown.length === 0 && status.outcomes.length === 0 && status.partial !== 'withheld' ? <p className="text-gray-700">{empty}</p> : null}
      {shown && shown.length > 0 ? (
        <ul className="divide-y divide-gray-100">
          {shown.map((item, i) => (
            <li key={item.key} className="py-2" data-testid="section-item">
              <div className="flex items-start justify-between gap-2">
                {/* elementtiming: the browser records when the section's first entry was painted (bench/phone.ts reads it). */}
                <span className="font-medium" {...(i === 0 ? { elementtiming: firstEntryTiming(id) } : {})}>{item.title}</span>
                <span className="flex gap-1">
                  {item.flag ? <FlagBadge kind={item.flag} /> : null}
                  {item.status ? <FlagBadge kind="status" label={item.status} /> : null}
                </span>
              </div>
              {item.detail ? <div className="text-sm text-gray-700">{item.detail}</div> : null}
              {sourcesCollapsed ? null : <SourceLine p={item.provenance} now={now} />}
            </li>
          ))}
        </ul>
      ) : null}
      {sourcesCollapsed && shown && shown.length > 0 ? <SourcesDisclosure entries={shown.map((i) => ({ key: i.key, title: i.title, p: i.provenance }))} now={now} /> : null}
      {href && items && items.length > limit ? (
        <AppLink href={href} className="flex min-h-11 items-center text-sm font-medium text-[var(--hc-accent,#1d4ed8)] underline">
          Show all {items.length}
        </AppLink>
      ) : null}
    </section>
  );
}

import { dateMs } from './datatypes';
import { latestPoint, type ResultPoint, type ResultSeries } from './observations';

/**
 * "Needs attention": results this clinician has not seen. With a previous visit to this chart
 * (`since`), every series with a point that reached the source after it, at its newest such
 * point, flagged when abnormal. Without one (first open), the series whose latest result is
 * abnormal. Abnormal before normal, critical first, then newest first.
 */
export interface AttentionItem {
  series: ResultSeries;
  point: ResultPoint;
  reasons: ('new' | 'abnormal')[];
}

export interface NeedsAttentionView {
  /** The visit the items are "new since", or null on a first open. */
  since: string | null;
  items: AttentionItem[];
}

function rank(i: AttentionItem): number {
  if (i.point.flag === 'critical') return 0;
  if (i.point.flag) return 1;
  return 2;
}

export function toNeedsAttention(series: ResultSeries[], since: string | null): NeedsAttentionView {
  const sinceMs = since === null ? Number.NaN : Date.parse(since);
  const items: AttentionItem[] = [];
  for (const s of series) {
    if (Number.isNaN(sinceMs)) {
      const latest = latestPoint(s);
      if (latest?.flag) items.push({ series: s, point: latest, reasons: ['abnormal'] });
      continue;
    }
    const fresh = s.points.find((p) => p.state === 'active' && dateMs(p.arrivedAt) > sinceMs);
    if (fresh) items.push({ series: s, point: fresh, reasons: fresh.flag ? ['new', 'abnormal'] : ['new'] });
  }
  items.sort((a, b) => rank(a) - rank(b) || dateMs(b.point.date) - dateMs(a.point.date) || a.series.title.localeCompare(b.series.title));
  return { since: Number.isNaN(sinceMs) ? null : since, items };
}

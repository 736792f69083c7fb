import type { Provenance } from '@/lib/fhir/compose/provenance';
import { onServerClock } from './server-clock';

/**
 * Ages and times in words ("2 min ago", "14:05"): plain functions, for the server's render of a
 * first screen as much as for the browser's views. The components that show them are freshness.tsx.
 */

export function relativeAge(iso: string | null | undefined, now: number): string {
  if (!iso) return 'time unknown';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'time unknown';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} ${h === 1 ? 'hour' : 'hours'} ago`;
  const d = Math.round(h / 24);
  if (d < 60) return `${d} days ago`;
  const mo = Math.round(d / 30.4);
  return mo < 24 ? `${mo} months ago` : `${Math.round(d / 365)} years ago`;
}

/** A version id as people read it: short ones whole, opaque UUIDs by their first 8 characters. */
export function shortVersion(v: string): string {
  return v.length > 8 ? v.slice(0, 8) : v;
}

/**
 * "Sandbox EHR · version 3 · updated 2 hours ago": where a value came from and how old it is.
 * `now` is the device's; the age is counted on the EHR's clock, which stamped `lastUpdated`.
 */
export function sourceSummary(p: Provenance, now: number): string {
  return `${p.source}${p.versionId ? ` · version ${shortVersion(p.versionId)}` : ''} · updated ${relativeAge(p.lastUpdated, onServerClock(now))}`;
}

/** A device time as the clock on the wall shows it ("14:05"). */
export function clockTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(Date.parse(iso));
}

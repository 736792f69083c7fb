'use client';
import type { Provenance } from '@/lib/fhir';

export function relativeAge(iso: string | null | undefined, now: number): string {
  if (!iso) return 'time unknown';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 'time unknown';
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 60) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.round(h / 24)} days ago`;
}

/** "Sandbox EHR · version 3 · updated 2 h ago": where a value came from and how old it is. */
export function SourceLine({ p, now }: { p: Provenance; now: number }) {
  return (
    <span className="text-xs text-gray-600" data-testid="source-line">
      {p.source}
      {p.versionId ? ` · version ${p.versionId.length > 8 ? p.versionId.slice(0, 8) : p.versionId}` : ''}
      {` · updated ${relativeAge(p.lastUpdated, now)}`}
    </span>
  );
}

'use client';
import type { Provenance } from '@/lib/fhir/compose/provenance';
import { sourceSummary } from './ages';
import { useNowOr } from './use-now';

/**
 * Where a card's entries came from and how old they are, one tap away: a patient reads the
 * entries, and the source, version and age of each are behind this disclosure (the clinician's
 * chart shows them on every line instead).
 */
export function SourcesDisclosure({ entries, now: given }: { entries: { key: string; title: string; p: Provenance }[]; now?: number | undefined }) {
  const now = useNowOr(given);
  return (
    <details className="mt-1" data-testid="sources-disclosure">
      <summary className="flex min-h-11 cursor-pointer items-center text-sm text-[var(--hc-accent,#1d4ed8)] underline">Where this comes from</summary>
      <ul className="mt-1 space-y-1 text-sm text-gray-700">
        {entries.map((e) => (
          <li key={e.key} data-testid="source-line">
            <span className="font-medium text-gray-900">{e.title}</span>: {sourceSummary(e.p, now)}
          </li>
        ))}
      </ul>
    </details>
  );
}

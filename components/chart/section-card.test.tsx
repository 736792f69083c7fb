import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ListItemView } from '@/lib/fhir/compose/items';
import { firstEntryTiming } from '@/lib/perf-marks';
import { SectionCard } from './section-card';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const item = (id: string, title: string): ListItemView => ({
  key: `Condition/${id}`,
  title,
  state: 'active',
  provenance: { source: 'Sandbox EHR', resourceType: 'Condition', id, versionId: '1', lastUpdated: '2026-05-01T00:00:00Z', fetchedAt: '2026-06-01T11:59:00Z' },
});
const status = { isLoading: false, outcomes: [] };

describe('section card', () => {
  it('asks the browser to time the paint of its first entry, and of no other', () => {
    const html = renderToStaticMarkup(<SectionCard id="problems" title="Conditions" items={[item('c1', 'Asthma'), item('c2', 'Gout')]} status={status} empty="None" now={NOW} />);
    const timed = [...html.matchAll(/<span[^>]*elementtiming="([^"]+)"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]]);
    expect(timed).toEqual([[firstEntryTiming('problems'), 'Asthma']]);
  });

  it('times nothing when the section is empty', () => {
    const html = renderToStaticMarkup(<SectionCard id="problems" title="Conditions" items={[]} status={status} empty="None" now={NOW} />);
    expect(html).toContain('None');
    expect(html).not.toContain('elementtiming');
  });
});

import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { SourcePanel } from './source-panel';
import { TrendChart } from './trend-chart';

const points = [
  { date: '2026-01-01T09:00:00Z', values: [1.1], flagged: false },
  { date: '2026-04-01T09:00:00Z', values: [1.5], flagged: true },
  { date: '2026-07-01T09:00:00Z', values: [1.9], flagged: true },
];

describe('trend chart', () => {
  it('is an image with a title and a description that carries the numbers and the range', () => {
    const html = renderToStaticMarkup(<TrendChart title="Creatinine" unit="mg/dL" lines={['Creatinine']} points={points} range={{ low: 0.74, high: 1.35 }} />);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="[^"]+-t" aria-describedby="[^"]+-d"/);
    expect(html).toContain('<title');
    expect(html).toContain('3 values from 2026-01-01 to 2026-07-01. Creatinine: latest 1.9 mg/dL, lowest 1.1, highest 1.9. Reference range 0.74 to 1.35 mg/dL. 2 flagged as abnormal.');
    expect(html).toContain('data-testid="reference-band"');
    expect((html.match(/fill="#991b1b"/g) ?? []).length).toBe(2);
  });

  it('draws no band without a range, and two lines for blood pressure', () => {
    const html = renderToStaticMarkup(<TrendChart title="Blood pressure" unit="mmHg" lines={['Systolic', 'Diastolic']} points={points.map((p) => ({ ...p, values: [p.values[0]! * 100, p.values[0]! * 60] }))} />);
    expect(html).not.toContain('reference-band');
    expect((html.match(/<polyline/g) ?? []).length).toBe(2);
    expect(html).toContain('Diastolic: latest');
  });
});

describe('source panel', () => {
  it('says which system, record, version and how old', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    const html = renderToStaticMarkup(<SourcePanel now={now} p={{ source: 'Sandbox EHR', resourceType: 'Observation', id: 'obs-001-0042', versionId: '3', lastUpdated: '2026-11-28T10:00:00Z', fetchedAt: '2026-11-28T11:59:30Z' }} />);
    expect(html).toContain('Sandbox EHR · version 3 · updated 2 hours ago');
    expect(html).toContain('Observation/obs-001-0042');
    expect(html).toContain('just now</time> by Housecall');
  });
  it('says so when the source gives no version or update time', () => {
    const html = renderToStaticMarkup(<SourcePanel now={0} p={{ source: 'Epic', resourceType: 'Condition', id: 'x', versionId: null, lastUpdated: null, fetchedAt: '1970-01-01T00:00:00Z' }} />);
    expect(html).toContain('Epic · updated time unknown');
    expect((html.match(/not given by the source/g) ?? []).length).toBe(2);
  });

  it('describes unrounded values at the precision it is given, never as sent (issue 13)', () => {
    const raw = [{ date: '2026-01-01T09:00:00Z', values: [117.53982681431327, 78.29818281324464], flagged: false }];
    const whole = renderToStaticMarkup(<TrendChart title="Blood pressure" unit="mmHg" lines={['Systolic', 'Diastolic']} points={raw} formatNumber={(n) => n.toFixed(0)} />);
    expect(whole).toContain('Systolic: latest 118 mmHg, lowest 118, highest 118. Diastolic: latest 78 mmHg');
    const plain = renderToStaticMarkup(<TrendChart title="Score" lines={['']} points={[{ date: '2026-01-01T09:00:00Z', values: [1.1060593669813574], flagged: false }]} />);
    expect(plain).toContain('Score: latest 1.106, lowest 1.106, highest 1.106.');
    expect(plain).not.toContain('1.1060593669813574');
  });

  it('source panel shows the value exactly as sent', () => {
    const p = { source: 'EHR', resourceType: 'Observation', id: 'o1', versionId: null, lastUpdated: null, fetchedAt: '2026-11-01T09:00:00Z' };
    expect(renderToStaticMarkup(<SourcePanel p={p} now={Date.parse('2026-11-01T09:00:00Z')} sent="78.29818281324464 mm[Hg]" />)).toContain('<dt>As sent</dt><dd class="break-all" data-testid="source-value">78.29818281324464 mm[Hg]</dd>');
    expect(renderToStaticMarkup(<SourcePanel p={p} now={Date.parse('2026-11-01T09:00:00Z')} />)).not.toContain('As sent');
  });
});

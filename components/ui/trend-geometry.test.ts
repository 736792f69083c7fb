import { describe, expect, it } from 'vitest';
import { trendGeometry } from './trend-geometry';

const box = { width: 300, height: 140, left: 40, right: 10, top: 10, bottom: 30 };

describe('trend geometry', () => {
  it('puts the oldest point left, the newest right, higher values higher', () => {
    const g = trendGeometry({ points: [{ t: 0, values: [1] }, { t: 10, values: [3] }] }, box);
    const [a, b] = g.lines[0]!;
    expect(a!.x).toBe(40);
    expect(b!.x).toBe(290);
    expect(b!.y).toBeLessThan(a!.y);
  });

  it('keeps the reference range in view and draws its band between low and high', () => {
    const g = trendGeometry({ points: [{ t: 0, values: [1.2] }, { t: 1, values: [1.3] }], range: { low: 0.7, high: 1.35 } }, box);
    expect(g.yMin).toBeLessThan(0.7);
    expect(g.band!.y).toBeCloseTo(g.y(1.35), 0);
    expect(g.band!.y + g.band!.height).toBeCloseTo(g.y(0.7), 0);
    for (const p of g.lines[0]!) expect(p.y).toBeGreaterThanOrEqual(g.band!.y);
  });

  it('draws one line per component and skips missing values', () => {
    const g = trendGeometry({ points: [{ t: 0, values: [140, 90] }, { t: 1, values: [undefined, 85] }, { t: 2, values: [150, 95] }] }, box);
    expect(g.lines.map((l) => l.length)).toEqual([2, 3]);
  });

  it('centres a single point and survives a flat series', () => {
    const g = trendGeometry({ points: [{ t: 5, values: [4] }] }, box);
    expect(g.lines[0]![0]!.x).toBe(165);
    expect(Number.isFinite(g.lines[0]![0]!.y)).toBe(true);
  });
});

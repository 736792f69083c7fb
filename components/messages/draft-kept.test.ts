import { describe, expect, it } from 'vitest';
import { draftKeptLine } from './draft-kept';

describe('draftKeptLine', () => {
  it('says where the draft is', () => {
    expect(draftKeptLine('device', true, false)).toBe('Draft kept on this device. Not sent yet.');
    expect(draftKeptLine('memory', false, false)).toMatch(/^Draft kept while this page is open/);
    expect(draftKeptLine('saving', true, false)).toBe('Keeping your draft…');
    expect(draftKeptLine('nothing', true, false)).toBe('Your draft is kept on this device as you type.');
    expect(draftKeptLine('nothing', false, false)).toBe('Your draft is kept while this page is open.');
  });

  it('never claims the draft is kept once the browser has cleared the store under the page', () => {
    for (const kept of ['nothing', 'saving', 'device', 'memory'] as const) {
      const line = draftKeptLine(kept, true, true);
      expect(line).not.toMatch(/kept on this device|Draft kept/);
      expect(line).toContain('load the page again');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { plainDate } from './plain-date';

describe('plainDate', () => {
  it('shows a bare date as that calendar day in any time zone', () => {
    expect(plainDate('2026-11-07', 'en-US', 'Pacific/Honolulu')).toBe('November 7, 2026');
    expect(plainDate('2026-11-07', 'en-US', 'Pacific/Kiritimati')).toBe('November 7, 2026');
  });
  it('shows an instant on the local day', () => {
    expect(plainDate('2026-11-07T22:00:00Z', 'en-US', 'Asia/Kolkata')).toBe('November 8, 2026');
    expect(plainDate('2026-11-07T22:00:00Z', 'en-US', 'UTC')).toBe('November 7, 2026');
  });
  it('keeps partial dates partial and passes nonsense through', () => {
    expect(plainDate('2026-11', 'en-US')).toBe('November 2026');
    expect(plainDate('2026', 'en-US')).toBe('2026');
    expect(plainDate('soon', 'en-US')).toBe('soon');
  });
});

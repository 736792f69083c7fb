import { describe, expect, it } from 'vitest';
import { contrastRatio, keepLegibleColours, parseColour } from './style-contrast';
import { sanitizeSmartStyle } from './smart-style';

describe('contrast of the EHR style (issue 13)', () => {
  it.each([
    ['#000000', '#ffffff', 21],
    ['#ffffff', '#ffffff', 1],
    ['#777777', '#ffffff', 4.48],
    ['#767676', '#ffffff', 4.54],
    ['#1d4ed8', '#ffffff', 6.7],
    ['rgb(0, 0, 0)', 'white', 21],
    ['rgba(0, 0, 0, 0.5)', '#ffffff', 3.95],
    ['#0008', '#fff', 4.48],
    ['navy', '#fff', 16.04],
    ['chartreuse', '#fff', 0], // a name it cannot judge
    ['transparent', '#fff', 0],
  ])('%s on %s is %s:1', (fg, bg, ratio) => {
    expect(contrastRatio(fg, bg)).toBeCloseTo(ratio, 1);
  });

  it('parses the colour forms the sanitizer lets through', () => {
    expect(parseColour('#abc')).toEqual([170, 187, 204]);
    expect(parseColour('RGB(10%, 50%, 100%)')).toEqual([26, 128, 255]);
    expect(parseColour('bogus')).toBeUndefined();
  });

  it.each([
    // [EHR variables, kept]
    [{ '--hc-bg': '#f5f7fa', '--hc-text': '#1b2733', '--hc-accent': '#0b5cad' }, ['--hc-bg', '--hc-text', '--hc-accent']],
    [{ '--hc-text': '#9ca3af' }, []], // light grey text: illegible on white cards
    [{ '--hc-accent': '#7fb2ff' }, []], // pale links
    [{ '--hc-bg': '#4b5563' }, []], // dark background under Housecall's dark text
    [{ '--hc-bg': '#eeeeee', '--hc-text': '#222222' }, ['--hc-bg', '--hc-text']],
    [{ '--hc-bg': '#c8c8c8', '--hc-accent': '#1d4ed8' }, ['--hc-accent']], // links 4.0:1 on that background: keep Housecall's background
    [{ '--hc-text': 'chartreuse' }, []], // cannot be judged: not applied
    [{ '--hc-radius': '6px', '--hc-font': 'Georgia', '--hc-text': '#aaaaaa' }, ['--hc-radius', '--hc-font']],
  ])('%o keeps %o', (vars, kept) => {
    expect(Object.keys(keepLegibleColours(vars as Record<string, string>)).sort()).toEqual([...kept].sort());
  });

  it('keeps every colour of a legible style, drops the low-contrast ones through the sanitizer', () => {
    const legibleStyle = { color_background: '#f5f7fa', color_highlight: '#0b5cad', color_text: '#1b2733', dim_border_radius: '6px', font_family_body: 'system-ui, sans-serif' };
    expect(Object.keys(sanitizeSmartStyle(legibleStyle)).sort()).toEqual(['--hc-accent', '--hc-bg', '--hc-font', '--hc-radius', '--hc-text']);
    expect(sanitizeSmartStyle({ color_background: '#f5f7fa', color_text: '#b0b0b0', color_highlight: '#a8c8f0', dim_border_radius: '2px' })).toEqual({ '--hc-bg': '#f5f7fa', '--hc-radius': '2px' });
    // The sandbox's lowContrastStyle knob serves these: none of the three colours is applied.
    expect(sanitizeSmartStyle({ color_background: '#9aa3ad', color_highlight: '#a9c7ee', color_text: '#c3c8cf' })).toEqual({});
  });
});

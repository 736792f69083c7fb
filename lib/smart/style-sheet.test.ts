import { describe, expect, it } from 'vitest';
import { sanitizeSmartStyle } from './smart-style';
import { smartStyleSheet } from './style-sheet';

describe('smartStyleSheet', () => {
  it('turns the EHR’s sanitised style into custom properties on the styled root', () => {
    const vars = sanitizeSmartStyle({ color_background: '#f5f7fa', color_highlight: '#0b5cad', dim_border_radius: '6px', font_family_body: 'system-ui, "Segoe UI", sans-serif' });
    expect(smartStyleSheet(vars)).toBe('[data-hc-styled]{--hc-bg:#f5f7fa;--hc-accent:#0b5cad;--hc-radius:6px;--hc-font:system-ui, "Segoe UI", sans-serif}');
  });

  it('drops any name or value that could break out of the rule or the element', () => {
    expect(smartStyleSheet({ '--hc-bg': 'red}</style><script>alert(1)</script>', '--hc-accent': 'blue;background:url(x)', 'color': 'red', '--hc-text': 'a\\62 c' })).toBe('');
    expect(smartStyleSheet({ '--hc-bg': 'red', '--hc-x{}': 'blue' })).toBe('[data-hc-styled]{--hc-bg:red}');
  });

  it('is empty when there is no style', () => {
    expect(smartStyleSheet({})).toBe('');
  });
});

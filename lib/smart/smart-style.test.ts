import { describe, expect, it } from 'vitest';
import { parseSmartConfig } from './config';
import { loadSmartStyle, sanitizeSmartStyle, STYLE_CACHE_MAX, styleUrlAllowed } from './smart-style';

const issuer = parseSmartConfig(JSON.stringify({
  issuers: [{
    id: 'ehr', name: 'EHR', vendor: 'other', enabled: true, fhirBaseUrl: 'https://fhir.ehr.test/r4', clientId: 'c', clientAuth: { method: 'none' },
    ehrOrigins: ['https://ehr.test'], scopes: { clinician: ['patient/*.rs'], patient: ['patient/*.rs'] },
  }],
}), 't').issuers[0]!;

describe('smart_style_url', () => {
  it('keeps colours, lengths and font names', () => {
    expect(sanitizeSmartStyle({ color_background: '#edeae3', color_highlight: 'rgb(29, 78, 216)', dim_border_radius: '6px', font_family_body: "Georgia, 'Times New Roman', serif" }))
      .toEqual({ '--hc-bg': '#edeae3', '--hc-accent': 'rgb(29, 78, 216)', '--hc-radius': '6px', '--hc-font': "Georgia, 'Times New Roman', serif" });
  });
  it.each([
    ['color_background', 'red; background: url(https://evil.test/x)'],
    ['color_highlight', 'expression(alert(1))'],
    ['dim_border_radius', '6px;}body{display:none'],
    ['font_family_body', 'Arial;}</style><script>'],
    ['font_family_body', 'x'.repeat(200)],
    ['color_text', 42],
  ])('drops %s = %j', (key, value) => {
    expect(sanitizeSmartStyle({ [key]: value })).toEqual({});
  });
  it('ignores documents that are not objects', () => {
    expect(sanitizeSmartStyle('[]')).toEqual({});
    expect(sanitizeSmartStyle(null)).toEqual({});
  });
  it('is fetched only from the EHR origins', () => {
    expect(styleUrlAllowed('https://ehr.test/style.json', issuer)).toBe(true);
    expect(styleUrlAllowed('https://fhir.ehr.test/style.json', issuer)).toBe(true);
    expect(styleUrlAllowed('https://evil.test/style.json', issuer)).toBe(false);
    expect(styleUrlAllowed('http://ehr.test/style.json', issuer)).toBe(false);
    expect(styleUrlAllowed('https://u:p@ehr.test/style.json', issuer)).toBe(false);
    expect(styleUrlAllowed('javascript:alert(1)', issuer)).toBe(false);
  });
  it('keeps at most STYLE_CACHE_MAX styles, the oldest leaving first, so styles named per launch cannot grow the cache for ever', async () => {
    const fetched: string[] = [];
    const fetchImpl = (async (url: string) => {
      fetched.push(url);
      return new Response(JSON.stringify({ color_background: '#ffffff' }));
    }) as unknown as typeof fetch;
    const url = (i: number) => `https://ehr.test/style/${i}.json`;
    for (let i = 0; i <= STYLE_CACHE_MAX; i++) expect(await loadSmartStyle(url(i), issuer, fetchImpl)).toEqual({ '--hc-bg': '#ffffff' });
    expect(fetched).toHaveLength(STYLE_CACHE_MAX + 1);
    // The newest are still kept; the first one left when the cache was full.
    await loadSmartStyle(url(STYLE_CACHE_MAX), issuer, fetchImpl);
    await loadSmartStyle(url(1), issuer, fetchImpl);
    expect(fetched).toHaveLength(STYLE_CACHE_MAX + 1);
    await loadSmartStyle(url(0), issuer, fetchImpl);
    expect(fetched).toHaveLength(STYLE_CACHE_MAX + 2);
  });
});

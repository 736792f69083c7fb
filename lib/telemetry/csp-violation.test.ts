import { describe, expect, it } from 'vitest';
import { blockedKind, blockedSource, directiveLabel } from './csp-violation';

describe('CSP violation summaries', () => {
  it.each([
    ['https://evil.example/a/b?patient=1#x', 'https://evil.example'],
    ['http://localhost:3000/l/launch-id/chart?q=1', 'http://localhost:3000'],
    ['inline', 'inline'],
    ['eval', 'eval'],
    ['data:text/javascript,alert(1)', 'data'],
    ['blob:http://localhost:3000/uuid', 'blob'],
    ['', 'none'],
    ['not a url/with/path', 'other'],
  ])('keeps only the origin or keyword of %s', (input, expected) => {
    expect(blockedSource(input)).toBe(expected);
  });

  it('keeps directive labels to known names', () => {
    expect(directiveLabel('Script-Src-Elem')).toBe('script-src-elem');
    expect(directiveLabel('frame-ancestors')).toBe('frame-ancestors');
    expect(directiveLabel('x'.repeat(50))).toBe('other');
  });

  it('tells own-origin from external sources', () => {
    expect(blockedKind('http://localhost:3000', 'http://localhost:3000')).toBe('self');
    expect(blockedKind('https://evil.example', 'http://localhost:3000')).toBe('external');
    expect(blockedKind('inline', 'http://localhost:3000')).toBe('inline');
  });
});

/**
 * SMART styling (App Launch 2.x, "smart_style_url") reaches the page as one `<style>` element
 * that carries the request's CSP nonce, not as a `style=` attribute: the Content-Security-Policy
 * allows no inline style attributes (lib/smart/content-policy.ts). The values were sanitised by
 * `sanitizeSmartStyle`; this re-checks names and values, so nothing that could close the rule
 * or the element (`;`, braces, `<`, backslashes) ever reaches the stylesheet.
 */
const NAME = /^--hc-[a-z]+(-[a-z]+)*$/;
const VALUE = /^[A-Za-z0-9#%.,() "'-]{1,120}$/;

/** The attribute that marks the element the EHR's style variables apply to. */
export const SMART_STYLE_SCOPE = 'data-hc-styled';

/** `[data-hc-styled]{--hc-bg:#fff;…}`, or '' when nothing valid is left. */
export function smartStyleSheet(vars: Record<string, string>): string {
  const decls = Object.entries(vars)
    .filter(([name, value]) => NAME.test(name) && VALUE.test(value))
    .map(([name, value]) => `${name}:${value}`);
  return decls.length ? `[${SMART_STYLE_SCOPE}]{${decls.join(';')}}` : '';
}

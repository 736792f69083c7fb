import 'server-only';
import type { IssuerConfig } from './config';
import { insecureAllowed } from './config';
import { keepLegibleColours } from './style-contrast';

/**
 * SMART styling (App Launch 2.x, "smart_style_url"): the EHR's colours and fonts, so Housecall
 * looks at home in its frame. It is fetched only from the EHR's own origins, and only values
 * that parse as a CSS colour, length or font-family list survive; everything else is dropped,
 * so a style document can never inject CSS.
 */
const COLOR = /^(#[0-9a-fA-F]{3,8}|rgba?\(\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*,\s*\d{1,3}%?\s*(,\s*(0|1|0?\.\d+))?\s*\)|[a-zA-Z]{3,20})$/;
const LENGTH = /^(0|\d{1,3}(\.\d{1,3})?(px|rem|em|%))$/;
const FONT = /^[A-Za-z0-9 ,"'-]{1,120}$/;

const MAP: Record<string, { variable: string; kind: 'color' | 'length' | 'font' }> = {
  color_background: { variable: '--hc-bg', kind: 'color' },
  color_highlight: { variable: '--hc-accent', kind: 'color' },
  color_text: { variable: '--hc-text', kind: 'color' },
  dim_border_radius: { variable: '--hc-radius', kind: 'length' },
  font_family_body: { variable: '--hc-font', kind: 'font' },
};

export function sanitizeSmartStyle(doc: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return out;
  for (const [key, value] of Object.entries(doc)) {
    const m = MAP[key];
    if (!m || typeof value !== 'string') continue;
    const v = value.trim();
    const ok = m.kind === 'color' ? COLOR.test(v) : m.kind === 'length' ? LENGTH.test(v) : FONT.test(v) && !/["']{2}/.test(v);
    if (ok) out[m.variable] = v;
  }
  // Colours that would leave text below 4.5:1 are not applied (style-contrast.ts).
  return keepLegibleColours(out);
}

/** True when `url` is on one of the issuer's EHR origins (or its FHIR server's), over https unless opted in. */
export function styleUrlAllowed(url: string, issuer: IssuerConfig): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && insecureAllowed(issuer))) return false;
  const allowed = new Set([...issuer.ehrOrigins.map((o) => new URL(o).origin), new URL(issuer.fhirBaseUrl).origin]);
  return allowed.has(u.origin);
}

/** How long a style is reused, and how many styles are kept (an EHR may name one per launch). */
const STYLE_TTL_MS = 10 * 60_000;
export const STYLE_CACHE_MAX = 200;
const cache = new Map<string, { at: number; vars: Record<string, string> }>();

function remember(url: string, vars: Record<string, string>): void {
  const now = Date.now();
  for (const [key, hit] of cache) if (now - hit.at >= STYLE_TTL_MS) cache.delete(key);
  cache.delete(url);
  // Oldest first (a Map keeps insertion order): at the cap the oldest style goes.
  while (cache.size >= STYLE_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(url, { at: now, vars });
}

export async function loadSmartStyle(url: string | null, issuer: IssuerConfig, fetchImpl: typeof fetch = fetch): Promise<Record<string, string>> {
  if (!url || !styleUrlAllowed(url, issuer)) return {};
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < STYLE_TTL_MS) return hit.vars;
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(2_000), redirect: 'error', headers: { accept: 'application/json' } });
    if (!res.ok) return {};
    const text = await res.text();
    if (text.length > 20_000) return {};
    const vars = sanitizeSmartStyle(JSON.parse(text));
    remember(url, vars);
    return vars;
  } catch {
    return {};
  }
}

/**
 * The EHR's style never costs legibility (SMART App Launch 2.x "Styling", WCAG 2.2 SC 1.4.3
 * Contrast (Minimum)). `smart_style_url` colours are applied only where the text they take part
 * in keeps a contrast ratio of at least 4.5:1 against what it sits on; for any pair that would
 * fall short, Housecall keeps its own colour (the variable is left unset, so the CSS fallback
 * applies). Pure: no I/O, usable on both sides.
 *
 * The pairs, as Housecall's pages use the variables:
 * - `--hc-bg` (page background) under Housecall's body and secondary text (#111827, #374151),
 *   under the EHR's text colour if kept, and under links in the accent colour;
 * - `--hc-text` (body text) on the page background and on white cards;
 * - `--hc-accent` (links, and buttons with white text) on white cards and on the page background.
 */

/** Housecall's own colours, used where the EHR's would be illegible. */
export const HOUSECALL_COLOURS = Object.freeze({ bg: '#f5f7fa', text: '#111827', secondaryText: '#374151', accent: '#1d4ed8', surface: '#ffffff' });

/** WCAG's minimum for normal text. */
export const MIN_CONTRAST = 4.5;

type Rgb = [number, number, number];

const NAMED: Record<string, string> = {
  black: '#000000', white: '#ffffff', gray: '#808080', grey: '#808080', silver: '#c0c0c0', red: '#ff0000', maroon: '#800000',
  green: '#008000', lime: '#00ff00', olive: '#808000', navy: '#000080', blue: '#0000ff', teal: '#008080', aqua: '#00ffff',
  cyan: '#00ffff', purple: '#800080', fuchsia: '#ff00ff', magenta: '#ff00ff', yellow: '#ffff00', orange: '#ffa500',
  darkblue: '#00008b', darkgreen: '#006400', darkred: '#8b0000', darkgray: '#a9a9a9', darkgrey: '#a9a9a9', lightgray: '#d3d3d3',
  lightgrey: '#d3d3d3', whitesmoke: '#f5f5f5', ivory: '#fffff0', beige: '#f5f5dc', linen: '#faf0e6', snow: '#fffafa',
};

/**
 * Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()` and common colour names into
 * opaque RGB, compositing any transparency over `under` (white unless given). Undefined when the
 * colour cannot be judged: an unknown name, `transparent`, `currentColor`.
 */
export function parseColour(css: string, under: Rgb = [255, 255, 255]): Rgb | undefined {
  const v = css.trim().toLowerCase();
  const named = NAMED[v];
  if (named) return parseColour(named, under);
  let rgba: [number, number, number, number] | undefined;
  const hex = /^#([0-9a-f]{3,8})$/.exec(v)?.[1];
  if (hex && [3, 4, 6, 8].includes(hex.length)) {
    const full = hex.length <= 4 ? [...hex].map((c) => c + c).join('') : hex;
    const n = (i: number) => parseInt(full.slice(i, i + 2), 16);
    rgba = [n(0), n(2), n(4), full.length === 8 ? n(6) / 255 : 1];
  }
  const fn = /^rgba?\(\s*(\d{1,3}%?)\s*,\s*(\d{1,3}%?)\s*,\s*(\d{1,3}%?)\s*(?:,\s*(0|1|0?\.\d+))?\s*\)$/.exec(v);
  if (fn) {
    const channel = (s: string) => Math.min(255, s.endsWith('%') ? Math.round((Number(s.slice(0, -1)) / 100) * 255) : Number(s));
    rgba = [channel(fn[1]!), channel(fn[2]!), channel(fn[3]!), fn[4] === undefined ? 1 : Number(fn[4])];
  }
  if (!rgba) return undefined;
  const [r, g, b, a] = rgba;
  return [r * a + under[0] * (1 - a), g * a + under[1] * (1 - a), b * a + under[2] * (1 - a)];
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours (1 to 21), or 0 when either cannot be judged. */
export function contrastRatio(a: string, b: string): number {
  const bg = parseColour(b);
  const fg = bg ? parseColour(a, bg) : undefined;
  if (!fg || !bg) return 0;
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const legible = (fg: string, bg: string) => contrastRatio(fg, bg) >= MIN_CONTRAST;

type ColourVar = '--hc-bg' | '--hc-text' | '--hc-accent';
/** When not every colour can be kept, keep the accent before the text before the background. */
const PREFERENCE: ColourVar[] = ['--hc-accent', '--hc-text', '--hc-bg'];

/** Every text pair of the page is legible with these colours. */
function allLegible(bg: string, text: string, accent: string): boolean {
  const c = HOUSECALL_COLOURS;
  return legible(text, bg) && legible(text, c.surface) && legible(c.secondaryText, bg) && legible(c.text, bg) && legible(accent, c.surface) && legible(accent, bg);
}

/**
 * The sanitized style variables with every colour that would make a text pair illegible left
 * out (Housecall's own colour then applies to that pair). Of the ways to keep the EHR's colours,
 * the one keeping the most (by PREFERENCE on a tie) whose every pair reaches 4.5:1 wins. Other
 * variables pass unchanged.
 */
export function keepLegibleColours(vars: Record<string, string>): Record<string, string> {
  const c = HOUSECALL_COLOURS;
  const offered = PREFERENCE.filter((k) => vars[k] !== undefined);
  const subsets = Array.from({ length: 1 << offered.length }, (_, mask) => offered.filter((_, i) => mask & (1 << i)));
  subsets.sort((a, b) => b.length - a.length || rank(a) - rank(b));
  const keep = subsets.find((set) => {
    const pick = (k: ColourVar, own: string) => (set.includes(k) ? vars[k]! : own);
    return allLegible(pick('--hc-bg', c.bg), pick('--hc-text', c.text), pick('--hc-accent', c.accent));
  }) ?? [];
  return Object.fromEntries(Object.entries(vars).filter(([k]) => !PREFERENCE.includes(k as ColourVar) || keep.includes(k as ColourVar)));
}

/** Lower for sets that keep more preferred colours. */
function rank(set: ColourVar[]): number {
  return PREFERENCE.reduce((n, k, i) => n + (set.includes(k) ? 0 : 2 ** (PREFERENCE.length - i)), 0);
}

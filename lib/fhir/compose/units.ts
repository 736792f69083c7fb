/**
 * Units as people write them. EHR exports often carry only the UCUM code (`mm[Hg]`, `Cel`,
 * `10*3/uL`, `{score}`) or put the code in `Quantity.unit`; a clinician should never have to
 * decode one. `humanUnit` prefers `Quantity.unit` when it already reads as a unit a person would
 * write, maps known UCUM codes through the table below, and otherwise rewrites the UCUM syntax
 * that people do not use (annotations in braces, brackets, `10*n`, `u` for micro, `2` for
 * squared). An empty string means "no unit to show" (a score, a count, a ratio of 1).
 */

/** Known UCUM codes (and a few shorthand units that read badly) and how people write them. */
export const UCUM_HUMAN: Readonly<Record<string, string>> = {
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  C: '°C',
  F: '°F',
  degC: '°C',
  degF: '°F',
  '[lb_av]': 'lb',
  '[oz_av]': 'oz',
  '[in_i]': 'in',
  '[ft_i]': 'ft',
  'kg/m2': 'kg/m²',
  '10*3/uL': '×10³/µL',
  '10*6/uL': '×10⁶/µL',
  '10*9/L': '×10⁹/L',
  '10*12/L': '×10¹²/L',
  '10*3/mm3': '×10³/mm³',
  '{score}': '',
  '{beats}/min': '/min',
  '{breaths}/min': '/min',
  '/min': '/min',
  '1': '',
  '%': '%',
  'mg/dL': 'mg/dL',
  'mmol/L': 'mmol/L',
  'umol/L': 'µmol/L',
  'g/dL': 'g/dL',
  'g/L': 'g/L',
  'ug/dL': 'µg/dL',
  'ug/L': 'µg/L',
  'ng/mL': 'ng/mL',
  'pg/mL': 'pg/mL',
  'mg/L': 'mg/L',
  'meq/L': 'mEq/L',
  'mEq/L': 'mEq/L',
  '[IU]/L': 'IU/L',
  'U/L': 'U/L',
  'mL/min/{1.73_m2}': 'mL/min/1.73 m²',
  'mL/min/1.73m2': 'mL/min/1.73 m²',
  fL: 'fL',
  pg: 'pg',
  cm: 'cm',
  m: 'm',
  kg: 'kg',
  g: 'g',
  mL: 'mL',
  L: 'L',
  'cm[H2O]': 'cmH₂O',
  s: 's',
  h: 'h',
  d: 'days',
  wk: 'weeks',
  mo: 'months',
  a: 'years',
};

const SUPERSCRIPT: Record<string, string> = { '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹', '-': '⁻' };

/** True when the text carries UCUM syntax that a person would not write. */
function looksLikeCode(u: string): boolean {
  return /[[\]{}]|10\*|\*|^Cel$|(^|\/)u(L|g|mol|m|eq)\b|[a-zA-Z][23]$/.test(u);
}

/** Rewrites UCUM syntax into the way people write units (for codes not in the table). */
function rewriteUcum(code: string): string {
  const out = code
    .replace(/\{[^}]*\}/g, '') // annotations: {beats}/min → /min, {score} → ''
    .replace(/10\*(-?\d+)/g, (_m, p: string) => `×10${[...p].map((c) => SUPERSCRIPT[c] ?? c).join('')}`)
    .replace(/\[([A-Za-z]+)(_[a-z]+)?\]/g, '$1') // [in_i] → in, [IU] → IU
    .replace(/(^|[/.])u(L|g|mol|m|eq)\b/g, '$1µ$2') // uL, umol → µL, µmol
    .replace(/([a-zA-Z])2(?![0-9])/g, '$1²')
    .replace(/([a-zA-Z])3(?![0-9])/g, '$1³')
    .replace(/^\/+$/, '')
    .trim();
  return out === '/' ? '' : out;
}

/**
 * The unit to show for a Quantity's `unit` and `code`: `unit` when it already reads as a
 * person's unit, else the human form of the UCUM code, else the rewritten code. Undefined
 * when the quantity names no unit at all; '' when the unit is dimensionless ({score}, 1).
 */
export function humanUnit(unit: string | undefined, code: string | undefined): string | undefined {
  const key = `${unit ?? ''}\u0000${code ?? ''}`;
  if (memo.has(key)) return memo.get(key);
  const shown = readUnit(unit, code);
  if (memo.size < 1_000) memo.set(key, shown);
  return shown;
}

/** Units repeat across thousands of values: each pair is worked out once. */
const memo = new Map<string, string | undefined>();

function readUnit(unit: string | undefined, code: string | undefined): string | undefined {
  const u = unit?.trim();
  if (u) {
    if (Object.hasOwn(UCUM_HUMAN, u)) return UCUM_HUMAN[u];
    if (!looksLikeCode(u)) return u;
  }
  const c = code?.trim();
  if (c && Object.hasOwn(UCUM_HUMAN, c)) return UCUM_HUMAN[c];
  if (u) return rewriteUcum(u);
  if (c) return rewriteUcum(c);
  return undefined;
}

/** The human unit of a Quantity-like object (see humanUnit). */
export function quantityUnit(q: unknown): string | undefined {
  const o = typeof q === 'object' && q !== null ? (q as Record<string, unknown>) : undefined;
  const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  return humanUnit(text(o?.unit), text(o?.code));
}

/** "120 mmHg", "5.4 ×10³/µL", "97%", "72/min": a value and its unit, nothing added for an empty unit. */
export function withUnit(value: string, unit: string | undefined): string {
  if (!unit) return value;
  return unit === '%' || unit.startsWith('/') ? `${value}${unit}` : `${value} ${unit}`;
}

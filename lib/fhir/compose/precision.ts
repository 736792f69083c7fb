/**
 * The precision policy: how many decimal places a number is shown with.
 *
 * - Vital signs are shown at clinical precision, whatever the source sent: blood pressure,
 *   heart rate, respiratory rate and oxygen saturation as whole numbers; temperature, weight,
 *   height, head circumference and BMI to one decimal place (VITAL_DECIMALS, by LOINC code).
 *   Other vital signs: the source's own precision, at most one decimal place.
 * - Laboratory and every other value: the precision the source gives (the decimals of the
 *   number as sent), capped at LAB_SIGNIFICANT_FIGURES (4) significant figures; the whole part is
 *   never rounded. So an export's `1.1060593669813574` reads `1.106`, `251.82711` reads `251.8`
 *   and `1234.5` reads `1235`, while a sent `0.74` stays `0.74` and `0.01234` stays `0.01234`:
 *   the source's own decimals are a ceiling, never padded.
 * - Rounding never moves a value across a reference limit: the flag is always worked out from
 *   the unrounded value, and when the rounded text would sit on the other side of (or on) a
 *   limit that the value does not, more decimal places are shown, up to the source's own,
 *   with a note saying why.
 * - Numbers for trend charts stay unrounded, and the source panel shows the value as sent.
 */

/** Decimal places for vital signs, by LOINC code. */
export const VITAL_DECIMALS: Readonly<Record<string, number>> = {
  '85354-9': 0, // blood pressure panel
  '55284-4': 0, // blood pressure
  '8480-6': 0, // systolic
  '8462-4': 0, // diastolic
  '8867-4': 0, // heart rate
  '9279-1': 0, // respiratory rate
  '59408-5': 0, // oxygen saturation by pulse oximetry
  '2708-6': 0, // oxygen saturation in arterial blood
  '8310-5': 1, // body temperature
  '29463-7': 1, // body weight
  '8302-2': 1, // body height
  '39156-5': 1, // BMI
  '9843-4': 1, // head circumference
  '8287-5': 1, // head circumference (tape)
};

/** At most this many significant figures for laboratory and other values. */
export const LAB_SIGNIFICANT_FIGURES = 4;
/** At most this many for vital signs without a rule of their own. */
export const OTHER_VITAL_MAX_DECIMALS = 1;

/** How many decimal places the number carries as sent (`78.2981` → 4, `120` → 0, `1e-7` → 7). */
export function sourceDecimals(n: number): number {
  if (!Number.isFinite(n)) return 0;
  const [mantissa = '', exponent] = String(n).split('e');
  const decimals = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, decimals - Number(exponent ?? 0));
}

/** The decimal places the policy gives a value of this code (LOINC) and category. */
export function decimalsFor(n: number, code: string | undefined, category: 'vital-signs' | 'laboratory' | 'other'): number {
  const vital = code ? VITAL_DECIMALS[code] : undefined;
  if (vital !== undefined) return vital;
  if (category === 'vital-signs') return Math.min(sourceDecimals(n), OTHER_VITAL_MAX_DECIMALS);
  const magnitude = n === 0 ? 0 : Math.floor(Math.log10(Math.abs(n)));
  return Math.min(sourceDecimals(n), Math.max(0, LAB_SIGNIFICANT_FIGURES - 1 - magnitude));
}

export interface Limits {
  low?: number | undefined;
  high?: number | undefined;
}

export interface ShownNumber {
  text: string;
  /** Set when more places than the policy's were needed to keep the value's side of a limit. */
  note?: string;
}

function fixed(n: number, decimals: number): string {
  const s = n.toFixed(Math.min(Math.max(decimals, 0), 20));
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** Same side of `limit` (below, on, above) for the value and its shown text. */
function sameSide(n: number, shown: number, limit: number | undefined): boolean {
  return limit === undefined || Math.sign(n - limit) === Math.sign(shown - limit);
}

/** Text for `n` at `decimals` places, with more places (and a note) where a limit demands it. */
export function showNumber(n: number, decimals: number, limits: Limits = {}): ShownNumber {
  const most = Math.max(decimals, sourceDecimals(n));
  for (let d = decimals; d <= most; d++) {
    const text = fixed(n, d);
    if (sameSide(n, Number(text), limits.low) && sameSide(n, Number(text), limits.high)) {
      return d === decimals ? { text } : { text, note: `shown to ${d} decimal place${d === 1 ? '' : 's'}: rounded, it would sit on the other side of the reference limit` };
    }
  }
  return { text: String(n), note: 'shown as sent: rounded, it would sit on the other side of the reference limit' };
}

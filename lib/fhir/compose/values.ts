import type { CodeableConcept } from '@medplum/fhirtypes';
import { arr, conceptText, fhirDate, num, obj, str } from './datatypes';
import { decimalsFor, showNumber, type ShownNumber } from './precision';
import { quantityUnit, withUnit } from './units';

/** A value[x] made displayable: text for people, a number when it can be drawn on a trend. */
export interface ValueView {
  text: string;
  /** Set only for a plain measured number (a Quantity without comparator, an integer); unrounded. */
  number?: number;
  /** The unit as people write it ('' for a dimensionless score). */
  unit?: string;
  /** Why the text shows more decimal places than usual (precision.ts). */
  note?: string;
  /** The value exactly as the source sent it, when the text differs from it (rounded, unit rewritten). */
  sent?: string;
  /** A Quantity sent as a limit (`>600`, `<=0.5`): no number to draw, but enough to judge against a range. */
  limit?: { comparator: '<' | '<=' | '>=' | '>'; value: number };
}

/** How a number is shown: the precision policy with the reference limits to respect. */
export type NumberFormat = (n: number) => ShownNumber;

/** The default: the source's own precision, capped as for laboratory values. */
export const sourcePrecision: NumberFormat = (n) => showNumber(n, decimalsFor(n, undefined, 'laboratory'));

/** A Quantity for people: comparator, rounded value, human unit. Undefined without a value. */
export function quantityText(q: unknown, format: NumberFormat = sourcePrecision): ShownNumber | undefined {
  const quantity = obj(q);
  const value = num(quantity?.value);
  if (!quantity || value === undefined) return undefined;
  const shown = format(value);
  return { ...shown, text: withUnit(`${str(quantity.comparator) ?? ''}${shown.text}`, quantityUnit(quantity)) };
}

/** A Quantity exactly as sent: "78.29818281324464 mm[Hg]". */
function sentQuantity(q: Record<string, unknown>): string {
  const unit = str(q.unit) ?? str(q.code);
  return `${str(q.comparator) ?? ''}${String(q.value)}${unit ? ` ${unit}` : ''}`;
}

function rangeText(r: Record<string, unknown>): string | undefined {
  const low = quantityText(r.low)?.text;
  const high = quantityText(r.high)?.text;
  const lowUnit = quantityUnit(r.low);
  const plain = !str(obj(r.low)?.comparator) && !str(obj(r.high)?.comparator);
  if (low && high && plain && lowUnit !== undefined && lowUnit === quantityUnit(r.high)) {
    const bare = (q: unknown) => quantityText({ value: obj(q)?.value })!.text;
    return withUnit(`${bare(r.low)}–${bare(r.high)}`, lowUnit);
  }
  if (low && high) return `${low}–${high}`;
  if (low) return `≥ ${low}`;
  if (high) return `≤ ${high}`;
  return undefined;
}

/** One typed value (the part after `value` in value[x]) as a ValueView, or undefined. */
function readTyped(type: string, v: unknown, format: NumberFormat): ValueView | undefined {
  switch (type) {
    case 'Quantity':
    case 'Age':
    case 'Duration':
    case 'Count':
    case 'Distance':
    case 'SimpleQuantity': {
      const q = obj(v);
      const shown = quantityText(q, format);
      if (!q || !shown) return undefined;
      const unit = quantityUnit(q);
      const sent = sentQuantity(q);
      const comparator = str(q.comparator);
      const limit = comparator === '<' || comparator === '<=' || comparator === '>=' || comparator === '>' ? { comparator, value: num(q.value)! } as const : undefined;
      return {
        text: shown.text,
        ...(comparator ? (limit ? { limit } : {}) : { number: num(q.value) }),
        ...(unit !== undefined ? { unit } : {}),
        ...(shown.note ? { note: shown.note } : {}),
        ...(sent !== shown.text ? { sent } : {}),
      };
    }
    case 'CodeableConcept':
      return obj(v) ? { text: conceptText(v as CodeableConcept, 'Coded value') } : undefined;
    case 'Coding': {
      const c = obj(v);
      const text = str(c?.display) ?? str(c?.code);
      return text ? { text } : undefined;
    }
    case 'String':
    case 'Markdown':
    case 'Code':
    case 'Id':
    case 'Uri':
    case 'Time':
      return str(v) ? { text: v as string } : undefined;
    case 'Boolean':
      return typeof v === 'boolean' ? { text: v ? 'Yes' : 'No' } : undefined;
    case 'Integer':
    case 'Decimal':
    case 'PositiveInt':
    case 'UnsignedInt': {
      const n = num(v);
      if (n === undefined) return undefined;
      const shown = format(n);
      return { text: shown.text, number: n, ...(shown.note ? { note: shown.note } : {}), ...(shown.text !== String(n) ? { sent: String(n) } : {}) };
    }
    case 'DateTime':
    case 'Date':
    case 'Instant':
      return fhirDate(v) ? { text: v as string } : undefined;
    case 'Range': {
      const r = obj(v);
      const text = r ? rangeText(r) : undefined;
      return text ? { text } : undefined;
    }
    case 'Ratio': {
      const r = obj(v);
      const n = quantityText(r?.numerator)?.text;
      const d = quantityText(r?.denominator)?.text;
      return n && d ? { text: `${n} / ${d}` } : n ? { text: n } : undefined;
    }
    case 'Period': {
      const p = obj(v);
      const start = fhirDate(p?.start);
      const end = fhirDate(p?.end);
      return start || end ? { text: `${start ?? '…'} – ${end ?? 'ongoing'}` } : undefined;
    }
    case 'SampledData': {
      const data = str(obj(v)?.data);
      return { text: data ? `Sampled data (${data.trim().split(/\s+/).length} points)` : 'Sampled data' };
    }
    case 'Attachment': {
      const a = obj(v);
      return { text: str(a?.title) ?? `Attachment${str(a?.contentType) ? ` (${a?.contentType})` : ''}` };
    }
    default:
      return undefined;
  }
}

/** Words for a dataAbsentReason: "not recorded (patient refused)", or undefined when there is none. */
export function absentReasonText(holder: unknown): string | undefined {
  const absent = obj(obj(holder)?.dataAbsentReason);
  if (!absent) return undefined;
  return conceptText(absent as CodeableConcept, 'not given').toLowerCase();
}

/**
 * Reads whichever value[x] an element carries (`valueQuantity`, `valueString`, … any type),
 * else its dataAbsentReason. Numbers are shown by `format` (the precision policy). Undefined
 * when there is nothing to show.
 */
export function valueOf(holder: unknown, format: NumberFormat = sourcePrecision): ValueView | undefined {
  const o = obj(holder);
  if (!o) return undefined;
  for (const [key, v] of Object.entries(o)) {
    if (!key.startsWith('value') || key.length <= 5) continue;
    const read = readTyped(key.slice(5), v, format);
    if (read) return read;
  }
  const absent = absentReasonText(o);
  if (absent) return { text: `No value (${absent})` };
  return undefined;
}

/** A reference range as numbers and text; undefined when the resource gives none. */
export interface RangeView {
  low?: number;
  high?: number;
  text: string;
}

/** Who a range applies to, in words: "female", "age 18–65 years". */
function appliesToText(r: Record<string, unknown>): string | undefined {
  const who = arr<CodeableConcept>(r.appliesTo).filter((c) => obj(c)).map((c) => conceptText(c, ''));
  const age = obj(r.age) ? rangeText(obj(r.age)!) : undefined;
  const parts = [...who, ...(age ? [`age ${age}`] : [])].filter(Boolean);
  return parts.length ? parts.join(', ') : undefined;
}

/**
 * The reference range to judge a value by: the first one that applies to everyone (no
 * `appliesTo`, no `age`). Without one, a single population-specific range is used with its text
 * naming whom it applies to; several (one for men, one for women) are all shown as text and
 * none is used to flag, since the view does not judge which applies. Ranges with only `low` or
 * only `high` read "≥ low" / "≤ high"; a text-only range keeps its text.
 */
export function referenceRangeOf(ranges: unknown): RangeView | undefined {
  // A series repeats the same range on every value: each distinct one is read once.
  if (ranges === undefined) return undefined;
  const key = JSON.stringify(ranges) ?? '';
  if (rangeMemo.has(key)) {
    const hit = rangeMemo.get(key);
    return hit ? { ...hit } : undefined;
  }
  const read = readRanges(ranges);
  if (rangeMemo.size >= 500) rangeMemo.clear();
  rangeMemo.set(key, read);
  return read ? { ...read } : undefined;
}

const rangeMemo = new Map<string, RangeView | undefined>();

function readRanges(ranges: unknown): RangeView | undefined {
  const list = arr<unknown>(ranges).flatMap((r) => (obj(r) ? [obj(r)!] : []));
  const reads = new Map(list.map((o) => [o, { low: num(obj(o.low)?.value), high: num(obj(o.high)?.value), text: str(o.text) ?? rangeText(o) }]));
  const read = (o: Record<string, unknown>) => reads.get(o)!;
  const present = list.filter((o) => {
    const r = read(o);
    return r.text || r.low !== undefined || r.high !== undefined;
  });
  // A range of another meaning (critical, treatment, therapeutic) is shown, never judged by.
  const usable = present.filter((o) => !otherMeaning(o));
  const others = present.filter(otherMeaning);
  const general = usable.find((r) => !obj(r.age) && arr(r.appliesTo).length === 0);
  const specific = usable.filter((r) => r !== general);
  const labelled = (o: Record<string, unknown>) => {
    const applies = appliesToText(o);
    return [read(o).text, applies ? `(${applies})` : undefined].filter(Boolean).join(' ');
  };
  const chosen = general ?? (specific.length === 1 ? specific[0] : undefined);
  if (chosen) {
    const { low, high, text } = read(chosen);
    return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}), text: chosen === general ? (text ?? '') : labelled(chosen) };
  }
  if (specific.length > 1) return { text: specific.map(labelled).join('; ') };
  if (others.length > 0) return { text: others.map((o) => `${read(o).text ?? ''} (${conceptText(o.type as CodeableConcept, 'other range')})`.trim()).join('; ') };
  return undefined;
}

/** True for a range whose `type` says it is not the normal range (critical, treatment, therapeutic...). */
function otherMeaning(r: Record<string, unknown>): boolean {
  const type = obj(r.type);
  if (!type) return false;
  const codes = arr<unknown>(type.coding).map((c) => str(obj(c)?.code)).filter(Boolean);
  if (codes.length > 0) return !codes.includes('normal');
  return !/^(normal|reference)\b/i.test(str(type.text) ?? 'normal');
}

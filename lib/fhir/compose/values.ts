import type { CodeableConcept, Quantity } from '@medplum/fhirtypes';
import { arr, conceptText, fhirDate, formatQuantity, num, obj, str } from './datatypes';

/** A value[x] made displayable: text for people, a number when it can be drawn on a trend. */
export interface ValueView {
  text: string;
  /** Set only for a plain measured number (a Quantity without comparator, an integer). */
  number?: number;
  unit?: string;
}

function quantityUnit(q: unknown): string | undefined {
  const o = obj(q);
  return str(o?.unit) ?? str(o?.code);
}

function rangeText(r: Record<string, unknown>): string | undefined {
  const low = formatQuantity(r.low as Quantity);
  const high = formatQuantity(r.high as Quantity);
  const unit = quantityUnit(r.low);
  if (low && high && unit && unit === quantityUnit(r.high) && !str(obj(r.low)?.comparator) && !str(obj(r.high)?.comparator)) {
    return `${obj(r.low)?.value}–${obj(r.high)?.value} ${unit}`;
  }
  if (low && high) return `${low}–${high}`;
  if (low) return `≥ ${low}`;
  if (high) return `≤ ${high}`;
  return undefined;
}

/** One typed value (the part after `value` in value[x]) as a ValueView, or undefined. */
function readTyped(type: string, v: unknown): ValueView | undefined {
  switch (type) {
    case 'Quantity':
    case 'Age':
    case 'Duration':
    case 'Count':
    case 'Distance':
    case 'SimpleQuantity': {
      const text = formatQuantity(v as Quantity);
      if (!text) return undefined;
      const q = obj(v);
      const unit = quantityUnit(q);
      return { text, ...(str(q?.comparator) ? {} : { number: num(q?.value) }), ...(unit ? { unit } : {}) };
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
    case 'UnsignedInt':
      return num(v) !== undefined ? { text: String(v), number: v as number } : undefined;
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
      const n = formatQuantity(r?.numerator as Quantity);
      const d = formatQuantity(r?.denominator as Quantity);
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

/**
 * Reads whichever value[x] an element carries (`valueQuantity`, `valueString`, … any type),
 * else its dataAbsentReason. Undefined when there is nothing to show.
 */
export function valueOf(holder: unknown): ValueView | undefined {
  const o = obj(holder);
  if (!o) return undefined;
  for (const [key, v] of Object.entries(o)) {
    if (!key.startsWith('value') || key.length <= 5) continue;
    const read = readTyped(key.slice(5), v);
    if (read) return read;
  }
  const absent = obj(o.dataAbsentReason);
  if (absent) return { text: `No value (${conceptText(absent as CodeableConcept, 'not given').toLowerCase()})` };
  return undefined;
}

/** A reference range as numbers and text; undefined when the resource gives none. */
export interface RangeView {
  low?: number;
  high?: number;
  text: string;
}

export function referenceRangeOf(ranges: unknown): RangeView | undefined {
  for (const r of arr<unknown>(ranges)) {
    const o = obj(r);
    if (!o) continue;
    const low = num(obj(o.low)?.value);
    const high = num(obj(o.high)?.value);
    const text = str(o.text) ?? rangeText(o);
    if (text || low !== undefined || high !== undefined) {
      return { ...(low !== undefined ? { low } : {}), ...(high !== undefined ? { high } : {}), text: text ?? '' };
    }
  }
  return undefined;
}

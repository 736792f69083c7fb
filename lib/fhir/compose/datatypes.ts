import type { CodeableConcept, Coding, HumanName } from '@medplum/fhirtypes';

/**
 * Readers for FHIR datatypes as they arrive from real EHRs. Every input is treated as
 * untrusted JSON: a field typed `string` may be a number, an array may be an object. Each
 * reader answers with a usable value or `undefined`, and never throws.
 */

export { arr, num, obj, str } from './guards';
import { arr, obj, str } from './guards';

function codings(c: unknown): Coding[] {
  return arr<unknown>(obj(c)?.coding).flatMap((x) => (obj(x) ? [x as Coding] : []));
}

/** Text for a concept: its text, else the first coding's display, else its code. Never throws. */
export function conceptText(c: CodeableConcept | undefined, fallback = 'Unnamed'): string {
  const concept = obj(c);
  if (!concept) return fallback;
  const text = str(concept.text)?.trim();
  if (text) return text;
  for (const coding of codings(concept)) {
    const display = str(coding.display)?.trim();
    if (display) return display;
  }
  for (const coding of codings(concept)) {
    const code = str(coding.code);
    if (code) return code;
  }
  return fallback;
}

/** The first code of a concept (optionally from one system). */
export function codeOf(c: CodeableConcept | undefined, system?: string): string | undefined {
  return codings(c).find((x) => (system ? x.system === system : true) && str(x.code))?.code;
}

/**
 * A stable key for "the same kind of thing": `system|code` of the first coding that has both,
 * else `|code`, else `text:` plus the text (codings with text only), else undefined.
 */
export function conceptKey(c: CodeableConcept | undefined): string | undefined {
  const list = codings(c);
  const full = list.find((x) => str(x.system) && str(x.code));
  if (full) return `${full.system}|${full.code}`;
  const bare = list.find((x) => str(x.code));
  if (bare) return `|${bare.code}`;
  const text = str(obj(c)?.text)?.trim() ?? list.map((x) => str(x.display)?.trim()).find(Boolean);
  return text ? `text:${text.toLowerCase()}` : undefined;
}

/**
 * The names in use now: not `old`, not a `nickname`, and not ended (`period.end` past); official
 * first, then usual, then the rest in the order sent. When none is in use, every name, so a
 * person is still named.
 */
export function namesInUse<T extends { use?: unknown; period?: unknown }>(names: readonly T[], now: Date = new Date()): T[] {
  const ended = (n: T) => {
    const end = Date.parse(str(obj(n.period)?.end) ?? '');
    return Number.isFinite(end) && end < now.getTime();
  };
  const current = names.filter((n) => n.use !== 'old' && n.use !== 'nickname' && !ended(n));
  const rank = (n: T) => (n.use === 'official' ? 0 : n.use === 'usual' ? 1 : 2);
  return (current.length ? current : [...names]).map((n, i) => ({ n, i })).sort((a, b) => rank(a.n) - rank(b.n) || a.i - b.i).map((x) => x.n);
}

/** "Given Family" from the name in use (namesInUse). */
export function formatName(names: HumanName[] | undefined, now: Date = new Date()): string {
  const list = arr<unknown>(names).flatMap((x) => (obj(x) ? [x as HumanName] : []));
  const n = namesInUse(list, now)[0];
  if (!n) return 'Unnamed patient';
  const text = str(n.text)?.trim();
  if (text) return text;
  const parts = [...arr<unknown>(n.given), n.family].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length ? parts.join(' ') : 'Unnamed patient';
}

export { calendarDay } from './calendar-day';

/** Whole years between a FHIR date and `now`; undefined for partial or invalid dates. */
export function ageInYears(birthDate: string | undefined, now: Date): number | undefined {
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const b = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(b.getTime())) return undefined;
  let age = now.getUTCFullYear() - b.getUTCFullYear();
  const m = now.getUTCMonth() - b.getUTCMonth();
  if (m < 0 || (m === 0 && now.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** A FHIR date, dateTime or instant as given (if it parses), for sorting and display. */
export function fhirDate(v: unknown): string | undefined {
  const s = str(v);
  if (!s || !/^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/.test(s)) return undefined;
  return Number.isNaN(Date.parse(s.length === 4 ? `${s}-01-01` : s)) ? undefined : s;
}

/** The first usable date among a resource's candidate fields, periods read by their start. */
export function firstDate(r: unknown, fields: string[]): string | undefined {
  const o = obj(r);
  if (!o) return undefined;
  for (const f of fields) {
    const direct = fhirDate(o[f]);
    if (direct) return direct;
    const period = obj(o[f]);
    const start = fhirDate(period?.start) ?? fhirDate(period?.end);
    if (start) return start;
  }
  return undefined;
}

/** Milliseconds for sorting (missing dates sort last when sorting newest first). */
export function dateMs(v: string | undefined): number {
  if (!v) return Number.NEGATIVE_INFINITY;
  const t = Date.parse(v.length === 4 ? `${v}-01-01` : v);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

import type { Bundle, CodeableConcept, Observation } from '@medplum/fhirtypes';
import { arr, codeOf, conceptKey, conceptText, dateMs, firstDate, obj, str } from './datatypes';
import { resourcesOf, type ComposeContext, type ListItemView, type ListOptions } from './items';
import { provenanceOf, type Provenance } from './provenance';
import { entryState, type EntryState } from './status';
import { referenceRangeOf, valueOf, type RangeView } from './values';

/**
 * Observations as series: one series per code (vital sign or laboratory test), newest point
 * first, each point with its value (any value[x]; blood pressure as its components), its
 * reference range, interpretation and provenance. A series is what a trend chart draws.
 */

export type ResultFlag = NonNullable<ListItemView['flag']>;

export interface ResultPoint {
  key: string;
  /** When the observation was made (effective[x], else issued). */
  date?: string;
  /** When it reached the source: meta.lastUpdated, else issued, else date. "New since" compares this. */
  arrivedAt?: string;
  text: string;
  /** One number per series line (undefined where this point has none). */
  numbers: (number | undefined)[];
  flag?: ResultFlag;
  /** Whether the flag was reported by the source or worked out here from the reference range. */
  flagSource?: 'reported' | 'range';
  interpretation?: string;
  range?: RangeView;
  state: EntryState;
  status?: string;
  provenance: Provenance;
}

export interface ResultSeries {
  key: string;
  /** The code to search this series by (`system|code` or `|code`); absent for text-only codes. */
  searchCode?: string;
  title: string;
  /** A short name for small screens: the common name of well-known LOINC codes, else the title. */
  label: string;
  category: 'vital-signs' | 'laboratory' | 'other';
  unit?: string;
  /** Names of the numeric lines: one for a plain value, one per component (systolic, diastolic). */
  lines: string[];
  /** Newest first. */
  points: ResultPoint[];
}

/** Common names of frequent LOINC codes, whose official names are long. */
const SHORT_NAMES: Record<string, string> = {
  '85354-9': 'Blood pressure', '55284-4': 'Blood pressure', '8867-4': 'Heart rate', '29463-7': 'Weight', '8310-5': 'Temperature',
  '9279-1': 'Respiratory rate', '59408-5': 'Oxygen saturation', '2708-6': 'Oxygen saturation', '8302-2': 'Height', '39156-5': 'BMI',
  '718-7': 'Hemoglobin', '2823-3': 'Potassium', '2345-7': 'Glucose', '2160-0': 'Creatinine', '2951-2': 'Sodium', '6690-2': 'White cells (WBC)',
  '4548-4': 'HbA1c', '33914-3': 'eGFR', '2093-3': 'Cholesterol',
};

const FLAGS: Record<string, ResultFlag> = { H: 'high', HU: 'high', L: 'low', LU: 'low', A: 'abnormal', HH: 'critical', LL: 'critical', AA: 'critical', '>': 'high', '<': 'low' };

function reportedFlag(o: Observation): { flag?: ResultFlag; text?: string } {
  const first = arr<CodeableConcept>(o.interpretation).find((c) => obj(c));
  if (!first) return {};
  const code = codeOf(first);
  const flag = code ? FLAGS[code] : undefined;
  const text = conceptText(first, '');
  return { ...(flag ? { flag } : {}), ...(text && code !== 'N' ? { text } : {}) };
}

function categoryOf(o: Observation): ResultSeries['category'] {
  const codes = arr<CodeableConcept>(o.category).map((c) => codeOf(c));
  if (codes.includes('vital-signs')) return 'vital-signs';
  if (codes.includes('laboratory')) return 'laboratory';
  return 'other';
}

type Component = NonNullable<Observation['component']>[number];

/** Value text and numbers per line, for a plain value or a panel of components. */
function readValue(o: Observation): { text: string; lines: string[]; numbers: (number | undefined)[]; unit?: string } {
  const own = valueOf(o);
  const components = arr<Component>(o.component).filter((c) => obj(c));
  if (own || components.length === 0) {
    return { text: own?.text ?? 'No value', lines: [''], numbers: [own?.number], ...(own?.unit ? { unit: own.unit } : {}) };
  }
  const values = components.map((c) => ({ line: conceptText(c.code, 'Component'), value: valueOf(c) }));
  const units = new Set(values.map((v) => v.value?.unit).filter(Boolean));
  const sameUnit = units.size === 1 ? [...units][0] : undefined;
  const text = sameUnit
    ? `${values.map((v) => (v.value?.number !== undefined ? String(v.value.number) : v.value?.text ?? '–')).join('/')} ${sameUnit}`
    : values.map((v) => v.value?.text ?? '–').join(' · ');
  return { text, lines: values.map((v) => v.line), numbers: values.map((v) => v.value?.number), ...(sameUnit ? { unit: sameUnit } : {}) };
}

function rangeFlag(n: number | undefined, range: RangeView | undefined): ResultFlag | undefined {
  if (n === undefined || !range) return undefined;
  if (range.high !== undefined && n > range.high) return 'high';
  if (range.low !== undefined && n < range.low) return 'low';
  return undefined;
}

/** Groups Observations into series. Hidden (entered-in-error, cancelled) points only on request. */
export function toResultSeries(bundle: Bundle | undefined | (Bundle | undefined)[], ctx: ComposeContext, opts: ListOptions = {}): ResultSeries[] {
  const groups = new Map<string, ResultSeries>();
  const all = (Array.isArray(bundle) ? bundle : [bundle]).flatMap((b) => resourcesOf<Observation>(b, 'Observation'));
  all.forEach((o, index) => {
    const state = entryState(o);
    if (state !== 'active' && !opts.includeInactive) return;
    const key = conceptKey(o.code) ?? 'unknown';
    const value = readValue(o);
    const range = value.lines.length === 1 ? referenceRangeOf(o.referenceRange) : undefined;
    const reported = reportedFlag(o);
    const computed = reported.flag ? undefined : rangeFlag(value.numbers[0], range);
    const provenance = provenanceOf(o, ctx.source, ctx.fetchedAt);
    const date = firstDate(o, ['effectiveDateTime', 'effectiveInstant', 'effectivePeriod', 'issued']);
    const arrivedAt = provenance.lastUpdated ?? firstDate(o, ['issued']) ?? date;
    let series = groups.get(key);
    if (!series) {
      const code = key.startsWith('text:') || key === 'unknown' ? undefined : key;
      const title = conceptText(o.code, 'Unnamed measurement');
      const loinc = key.startsWith('http://loinc.org|') ? key.slice(17) : undefined;
      const label = (loinc && SHORT_NAMES[loinc]) || title;
      series = { key, ...(code ? { searchCode: code } : {}), title, label, category: categoryOf(o), lines: [], points: [] };
      if (value.unit) series.unit = value.unit;
      groups.set(key, series);
    }
    for (const line of value.lines) if (!series.lines.includes(line)) series.lines.push(line);
    const numbers = series.lines.map((line) => value.numbers[value.lines.indexOf(line)]);
    const flag = reported.flag ?? computed;
    series.points.push({
      key: `${provenance.resourceType}/${provenance.id}#${index}`,
      ...(date ? { date } : {}),
      ...(arrivedAt ? { arrivedAt } : {}),
      text: value.text,
      numbers,
      ...(flag ? { flag, flagSource: reported.flag ? ('reported' as const) : ('range' as const) } : {}),
      ...(reported.text ? { interpretation: reported.text } : {}),
      ...(range ? { range } : {}),
      state,
      ...(str(o.status) && o.status !== 'final' ? { status: o.status } : {}),
      provenance,
    });
  });
  const series = [...groups.values()];
  for (const s of series) {
    // Points recorded before a line appeared get undefined for it.
    for (const p of s.points) while (p.numbers.length < s.lines.length) p.numbers.push(undefined);
    s.points = s.points.map((p, i) => ({ p, i })).sort((a, b) => dateMs(b.p.date) - dateMs(a.p.date) || a.i - b.i).map((x) => x.p);
  }
  return series.sort((a, b) => dateMs(b.points[0]?.date) - dateMs(a.points[0]?.date) || a.title.localeCompare(b.title));
}

/** The newest point that belongs in a summary. */
export function latestPoint(series: ResultSeries): ResultPoint | undefined {
  return series.points.find((p) => p.state === 'active');
}

/** The last `n` numbers of a series' first line, oldest first: what a sparkline draws. */
export function sparklineOf(series: ResultSeries, n = 12): number[][] {
  const pts = series.points.filter((p) => p.state === 'active').slice(0, n).reverse();
  return series.lines.map((_, line) => pts.map((p) => p.numbers[line]).filter((x): x is number => x !== undefined));
}

/**
 * Joins the same series read from several responses (pages of one search, each with its own
 * fetch time): lines are united by name and each point's numbers re-aligned to them.
 */
export function mergeSeries(parts: ResultSeries[]): ResultSeries | undefined {
  const [first] = parts;
  if (!first) return undefined;
  const lines = [...new Set(parts.flatMap((p) => p.lines))];
  const seen = new Set<string>();
  const points = parts.flatMap((part) =>
    part.points.map((p) => ({ ...p, numbers: lines.map((line) => (part.lines.includes(line) ? p.numbers[part.lines.indexOf(line)] : undefined)) })),
  ).filter((p) => {
    const id = `${p.provenance.resourceType}/${p.provenance.id}`;
    if (p.provenance.id !== '(no id)' && seen.has(id)) return false;
    seen.add(id);
    return true;
  });
  points.sort((a, b) => dateMs(b.date) - dateMs(a.date));
  return { ...first, lines, points };
}

import type { Bundle, CodeableConcept, Observation } from '@medplum/fhirtypes';
import { arr, codeOf, conceptKey, conceptText, dateMs, firstDate, obj, str } from './datatypes';
import { resourcesOf } from './entries';
import type { ComposeContext, ListItemView, ListOptions } from './items';
import { referenceName } from './people';
import { provenanceOf, type Provenance } from './provenance';
import { entryState, type EntryState } from './status';
import { decimalsFor, showNumber, VITAL_DECIMALS } from './precision';
import { withUnit } from './units';
import { absentReasonText, referenceRangeOf, valueOf, type NumberFormat, type RangeView, type ValueView } from './values';

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
  /** When the result was released (Observation.issued), as the source sent it. */
  issued?: string;
  /** The value for people: clinical precision, human unit, blood pressure systolic first. */
  text: string;
  /** Why the value shows more decimal places than usual (precision.ts). */
  note?: string;
  /** The value exactly as the source sent it, when `text` differs (rounded, unit rewritten, reordered). */
  sent?: string;
  /** One number per series line (undefined where this point has none, or its unit is not the series'). */
  numbers: (number | undefined)[];
  /** The unit this point was sent in, as people write it. */
  unit?: string;
  /** Who performed it, named (people.ts): never `Type/id`. */
  performer?: string;
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
/** The interpretation code systems whose codes FLAGS reads (HL7 v3, and v2 table 0078 with the same codes); a coding with no system is read too. */
const INTERPRETATION_SYSTEMS = new Set([
  'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
  'http://hl7.org/fhir/v3/ObservationInterpretation',
  'http://terminology.hl7.org/CodeSystem/v2-0078',
  'http://hl7.org/fhir/v2/0078',
]);
/** The most urgent flag wins when codings disagree. */
const FLAG_RANK: Record<ResultFlag, number> = { critical: 3, high: 2, low: 2, abnormal: 1 };

/**
 * The flag the source reported: every coding of every interpretation is read (a lab's local code
 * often comes first, the standard one after it), only in the standard code systems (a local `H`
 * may mean anything), and the most urgent wins. With no standard code, the lab's words are read
 * (the concept's text, each coding's display) when they say a judgement and nothing else.
 */
function reportedFlag(o: Observation): { flag?: ResultFlag; text?: string } {
  const concepts = arr<CodeableConcept>(o.interpretation).filter((c) => obj(c));
  const first = concepts[0];
  if (!first) return {};
  let flag: ResultFlag | undefined;
  let normal = false;
  for (const coding of concepts.flatMap((c) => arr<unknown>(c.coding))) {
    const x = obj(coding);
    const code = str(x?.code);
    const system = str(x?.system);
    if (!code || (system !== undefined && !INTERPRETATION_SYSTEMS.has(system))) continue;
    if (code === 'N') normal = true;
    const found = FLAGS[code];
    if (found && (!flag || FLAG_RANK[found] > FLAG_RANK[flag])) flag = found;
  }
  // No standard code: the lab's own words ("Critical High"), read only when they are nothing but a judgement.
  if (!flag && !normal) {
    const words = concepts.flatMap((c) => [c.text, ...arr<unknown>(c.coding).map((x) => obj(x)?.display)]);
    flag = words.map(flagInWords).find(Boolean);
  }
  const text = conceptText(first, '');
  return { ...(flag ? { flag } : {}), ...(text && !(normal && !flag) ? { text } : {}) };
}

/** Words that are a judgement and nothing else, as labs write them; "Not high" or "High sensitivity" are not. */
const WORD_FLAGS: [RegExp, ResultFlag][] = [
  [/^(crit|critical|critically|panic|alert)( (high|low|abnormal|value))?$/, 'critical'],
  [/^(high|abnormal high|above (high )?normal|elevated)$/, 'high'],
  [/^(low|abnormal low|below (low )?normal|decreased)$/, 'low'],
  [/^(abnormal|abn)$/, 'abnormal'],
];

function flagInWords(value: unknown): ResultFlag | undefined {
  const words = str(value)?.toLowerCase().replace(/[^a-z]+/g, ' ').trim();
  return words ? WORD_FLAGS.find(([pattern]) => pattern.test(words))?.[1] : undefined;
}

function categoryOf(o: Observation): ResultSeries['category'] {
  const codes = arr<CodeableConcept>(o.category).map((c) => codeOf(c));
  if (codes.includes('vital-signs')) return 'vital-signs';
  if (codes.includes('laboratory')) return 'laboratory';
  return 'other';
}

type Component = NonNullable<Observation['component']>[number];

const LOINC = 'http://loinc.org';
/** Blood pressure panels (vital-signs profile and US Core) and the components read by code. */
const BP_PANELS = ['85354-9', '55284-4'];
const SYSTOLIC = '8480-6';
const DIASTOLIC = '8462-4';

/** LOINC codes that name a kind of observation rather than the observation ("Vital signs"): never a series of their own. */
const GENERIC_LOINC = new Set(['8716-3', '74728-7']);

/**
 * The key of the series an Observation belongs to: its specific LOINC code wherever it stands
 * among the codings (Epic sends its own flowsheet code first, then the generic 8716-3, then the
 * LOINC of the measurement), else the first coding with a system (conceptKey).
 */
function seriesKeyOf(code: CodeableConcept | undefined): string | undefined {
  const loinc = arr<unknown>(obj(code)?.coding).map(obj).find((c) => c?.system === LOINC && typeof c.code === 'string' && c.code !== '' && !GENERIC_LOINC.has(c.code));
  return loinc ? `${LOINC}|${loinc.code as string}` : conceptKey(code);
}

/** True when one of the concept's codings is `code` in LOINC (or in no stated system). */
function hasLoinc(c: unknown, code: string): boolean {
  return arr<unknown>(obj(c)?.coding).some((x) => obj(x)?.code === code && (obj(x)?.system === undefined || obj(x)?.system === LOINC));
}

interface ReadValue {
  text: string;
  limit?: ValueView['limit'];
  lines: string[];
  numbers: (number | undefined)[];
  unit?: string;
  note?: string;
  sent?: string;
}

/** The value as sent, for the source panel: each component by its name, in the order sent. */
function sentComponents(components: Component[]): string | undefined {
  const parts = components.map((c) => {
    const v = valueOf(c, (n) => ({ text: String(n) }));
    return `${conceptText(c.code, 'component')} ${v?.sent ?? v?.text ?? 'no value'}`;
  });
  return parts.length ? parts.join('; ') : undefined;
}

/**
 * Blood pressure, read by code and never by position: systolic (LOINC 8480-6) first, then
 * diastolic (8462-4), whatever order the components come in. A reading missing one says so.
 */
function readBloodPressure(o: Observation, components: Component[]): ReadValue {
  const whole = (n: number) => showNumber(n, VITAL_DECIMALS[SYSTOLIC] ?? 0);
  const find = (code: string) => components.find((c) => hasLoinc(c.code, code));
  const sys = find(SYSTOLIC);
  const dia = find(DIASTOLIC);
  const sysValue = sys ? valueOf({ ...sys, dataAbsentReason: undefined }, whole) : undefined;
  const diaValue = dia ? valueOf({ ...dia, dataAbsentReason: undefined }, whole) : undefined;
  const unit = sysValue?.unit ?? diaValue?.unit;
  const bare = (v: ValueView | undefined) => (v?.number !== undefined ? whole(v.number).text : v?.text);
  const sent = sentComponents(components);
  const base = { lines: ['Systolic', 'Diastolic'], numbers: [sysValue?.number, diaValue?.number], ...(unit ? { unit } : {}), ...(sent ? { sent } : {}) };
  const [s, d] = [bare(sysValue), bare(diaValue)];
  if (s !== undefined && d !== undefined && sysValue?.unit === diaValue?.unit) return { ...base, text: withUnit(`${s}/${d}`, unit) };
  if (s === undefined && d === undefined) {
    const absent = absentReasonText(o);
    return { ...base, text: absent ? `No value (${absent})` : 'Blood pressure not recorded' };
  }
  const part = (name: string, c: Component | undefined, v: ValueView | undefined) => {
    if (v) return `${name} ${v.text}`;
    const why = c ? absentReasonText(c) : undefined;
    return `${name} not recorded${why && why !== 'not given' ? ` (${why})` : ''}`;
  };
  return { ...base, text: `${part('systolic', sys, sysValue)}, ${part('diastolic', dia, diaValue)}` };
}

function isBloodPressure(o: Observation, components: Component[]): boolean {
  if (BP_PANELS.some((code) => hasLoinc(o.code, code))) return true;
  return components.some((c) => hasLoinc(c.code, SYSTOLIC) || hasLoinc(c.code, DIASTOLIC));
}

/** Value text and numbers per line, for a plain value or a panel of components. */
function readValue(o: Observation, format: NumberFormat): ReadValue {
  const components = arr<Component>(o.component).filter((c) => obj(c));
  const own = valueOf(o, format);
  if (isBloodPressure(o, components) && !(own && own.number !== undefined)) return readBloodPressure(o, components);
  if (own || components.length === 0) {
    return {
      text: own?.text ?? 'No value',
      lines: [''],
      numbers: [own?.number],
      ...(own?.unit ? { unit: own.unit } : {}),
      ...(own?.note ? { note: own.note } : {}),
      ...(own?.sent ? { sent: own.sent } : {}),
      ...(own?.limit ? { limit: own.limit } : {}),
    };
  }
  // Other panels: each component by its own name, never a bare list of numbers.
  const values = components.map((c) => ({ line: conceptText(c.code, 'Component'), value: valueOf(c, format) }));
  const units = new Set(values.map((v) => v.value?.unit).filter(Boolean));
  const sameUnit = units.size === 1 ? [...units][0] : undefined;
  const sent = sentComponents(components);
  return {
    text: values.map((v) => `${v.line} ${v.value?.text ?? 'not recorded'}`).join(' · '),
    lines: values.map((v) => v.line),
    numbers: values.map((v) => v.value?.number),
    ...(sameUnit ? { unit: sameUnit } : {}),
    ...(sent ? { sent } : {}),
  };
}

/**
 * The flag a reference range gives a number, or a limit (`>600`): a limit is flagged only when
 * every value it allows is outside the range (`>99` against 70–99 is high; `>=99` may be 99).
 */
function rangeFlag(n: number | undefined, range: RangeView | undefined, limit?: ValueView['limit']): ResultFlag | undefined {
  if (!range) return undefined;
  if (n !== undefined) {
    if (range.high !== undefined && n > range.high) return 'high';
    if (range.low !== undefined && n < range.low) return 'low';
    return undefined;
  }
  if (!limit) return undefined;
  const { comparator, value } = limit;
  if (range.high !== undefined && ((comparator === '>' && value >= range.high) || (comparator === '>=' && value > range.high))) return 'high';
  if (range.low !== undefined && ((comparator === '<' && value <= range.low) || (comparator === '<=' && value < range.low))) return 'low';
  return undefined;
}

/** Groups Observations into series. Hidden (entered-in-error, cancelled) points only on request. */
export function toResultSeries(bundle: Bundle | undefined | (Bundle | undefined)[], ctx: ComposeContext, opts: ListOptions = {}): ResultSeries[] {
  const groups = new Map<string, ResultSeries>();
  const all = (Array.isArray(bundle) ? bundle : [bundle]).flatMap((b) => resourcesOf<Observation>(b, 'Observation'));
  all.forEach((o, index) => {
    const state = entryState(o);
    if (state !== 'active' && !opts.includeInactive) return;
    const key = seriesKeyOf(o.code) ?? 'unknown';
    const loinc = key.startsWith(`${LOINC}|`) ? key.slice(LOINC.length + 1) : undefined;
    const category = categoryOf(o);
    const ownRange = referenceRangeOf(o.referenceRange);
    const format: NumberFormat = (n) => showNumber(n, decimalsFor(n, loinc, category), ownRange ?? {});
    const value = readValue(o, format);
    const range = value.lines.length === 1 ? ownRange : undefined;
    const reported = reportedFlag(o);
    const computed = reported.flag ? undefined : rangeFlag(value.numbers[0], range, value.limit);
    const provenance = provenanceOf(o, ctx.source, ctx.fetchedAt);
    const date = firstDate(o, ['effectiveDateTime', 'effectiveInstant', 'effectivePeriod', 'issued']);
    const issued = firstDate(o, ['issued']);
    const arrivedAt = provenance.lastUpdated ?? issued ?? date;
    let series = groups.get(key);
    if (!series) {
      const code = key.startsWith('text:') || key === 'unknown' ? undefined : key;
      const title = conceptText(o.code, 'Unnamed measurement');
      const label = (loinc && SHORT_NAMES[loinc]) || title;
      series = { key, ...(code ? { searchCode: code } : {}), title, label, category, lines: [], points: [] };
      if (value.unit) series.unit = value.unit;
      groups.set(key, series);
    }
    for (const line of value.lines) if (!series.lines.includes(line)) series.lines.push(line);
    const numbers = series.lines.map((line) => value.numbers[value.lines.indexOf(line)]);
    const flag = reported.flag ?? computed;
    const performer = arr<unknown>(o.performer).map((r) => referenceName(r, ctx.names)).find(Boolean);
    series.points.push({
      key: `${provenance.resourceType}/${provenance.id}#${index}`,
      ...(date ? { date } : {}),
      ...(arrivedAt ? { arrivedAt } : {}),
      ...(issued ? { issued } : {}),
      text: value.text,
      ...(value.unit !== undefined ? { unit: value.unit } : {}),
      ...(value.note ? { note: value.note } : {}),
      ...(value.sent ? { sent: value.sent } : {}),
      ...(performer ? { performer } : {}),
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
    alignUnits(s);
  }
  return series.sort((a, b) => dateMs(b.points[0]?.date) - dateMs(a.points[0]?.date) || a.title.localeCompare(b.title));
}

/** Numbers of this series as the precision policy shows them (for a trend's description). */
export function seriesNumberText(series: Pick<ResultSeries, 'key' | 'category'>): (n: number) => string {
  const loinc = series.key.startsWith(`${LOINC}|`) ? series.key.slice(LOINC.length + 1) : undefined;
  return (n) => showNumber(n, decimalsFor(n, loinc, series.category)).text;
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
  const merged = { ...first, lines, points };
  alignUnits(merged);
  return merged;
}

/**
 * One scale per series: the unit of its newest point that has one (°C), and points sent in
 * another (°F, mmol/L beside mg/dL) keep their text but give no number, so they are neither drawn
 * nor compared with the rest ("Down from 98.6 °C" was read across units). Points are modified in place.
 */
function alignUnits(series: ResultSeries): void {
  const unit = (series.points.find((p) => p.state === 'active' && p.unit !== undefined) ?? series.points.find((p) => p.unit !== undefined))?.unit;
  if (unit === undefined) return;
  series.unit = unit;
  for (const p of series.points) if (p.unit !== undefined && p.unit !== unit) p.numbers = p.numbers.map(() => undefined);
}

import type { Bundle, Medication, MedicationRequest, MedicationStatement, Resource } from '@medplum/fhirtypes';
import { arr, conceptText, firstDate, obj, str } from './datatypes';
import { baseItem, finishList, resourcesOf, type ComposeContext, type ListItemView, type ListOptions } from './items';
import { quantityText } from './values';

/**
 * The medication list: prescriptions (MedicationRequest) and what the patient reports taking
 * (MedicationStatement), with the medicine given either as a code or as a reference to a
 * Medication that arrives through `_include`, sits in `contained`, or is only named by
 * the reference's display.
 */

function medicationIndex(bundles: Bundle[]): Map<string, Medication> {
  const index = new Map<string, Medication>();
  for (const b of bundles) {
    for (const m of resourcesOf<Medication>(b, 'Medication', 'any')) {
      const id = str(m.id);
      if (id) index.set(`Medication/${id}`, m);
    }
  }
  return index;
}

/** `Medication/123`, also from an absolute URL or a versioned reference. */
function relativeMedicationRef(reference: string): string | undefined {
  const m = /(?:^|\/)(Medication\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference);
  return m?.[1];
}

function medicationTitle(r: MedicationRequest | MedicationStatement, index: Map<string, Medication>): string {
  if (obj(r.medicationCodeableConcept)) return conceptText(r.medicationCodeableConcept, 'Unnamed medication');
  const ref = obj(r.medicationReference);
  const reference = str(ref?.reference);
  if (reference?.startsWith('#')) {
    const contained = arr<Resource>(obj(r)?.contained).find((c) => obj(c)?.resourceType === 'Medication' && `#${str(c.id)}` === reference) as Medication | undefined;
    if (contained) return conceptText(contained.code, str(ref?.display) ?? 'Unnamed medication');
  }
  const relative = reference ? relativeMedicationRef(reference) : undefined;
  const resolved = relative ? index.get(relative) : undefined;
  if (resolved && obj(resolved.code)) return conceptText(resolved.code, 'Unnamed medication');
  return str(ref?.display) ?? 'Unnamed medication';
}

const TIMES: Record<number, string> = { 1: 'once', 2: 'twice', 3: 'three times', 4: 'four times' };
const UNIT_WORDS: Record<string, [string, string]> = { s: ['second', 'seconds'], min: ['minute', 'minutes'], h: ['hour', 'hours'], d: ['day', 'days'], wk: ['week', 'weeks'], mo: ['month', 'months'], a: ['year', 'years'] };

/** Timing.repeat in words: "twice a day", "every 8 hours", "once every 2 weeks"; or the timing's code. */
function timingWords(timing: unknown): string | undefined {
  const t = obj(timing);
  const repeat = obj(t?.repeat);
  const frequency = typeof repeat?.frequency === 'number' ? repeat.frequency : 1;
  const period = typeof repeat?.period === 'number' ? repeat.period : undefined;
  const unit = UNIT_WORDS[str(repeat?.periodUnit) ?? ''];
  if (period !== undefined && unit) {
    const times = TIMES[frequency] ?? `${frequency} times`;
    if (period === 1) return `${times} a ${unit[0]}`;
    if (frequency === 1 && (unit[0] === 'hour' || unit[0] === 'minute')) return `every ${period} ${unit[1]}`;
    return `${times} every ${period} ${unit[1]}`;
  }
  return obj(t?.code) ? conceptText(t!.code as never, '') || undefined : undefined;
}

/**
 * One dosage instruction for people: its text when the source wrote one; otherwise put together
 * from its parts (dose, route, timing, as needed), as exports that carry no text send it.
 */
function oneDosage(d: Record<string, unknown>): string | undefined {
  const text = str(d.text)?.trim();
  if (text) return text;
  const rate = obj(arr<unknown>(d.doseAndRate)[0]);
  const range = obj(rate?.doseRange);
  const quantity = obj(rate?.doseQuantity);
  // A dose with no unit at all (exports send `{ value: 1 }`) is a number of doses.
  const bare = quantity && !str(quantity.unit) && !str(quantity.code) && typeof quantity.value === 'number' ? `${quantityText(quantity)!.text} ${quantity.value === 1 ? 'dose' : 'doses'}` : undefined;
  const dose = bare ?? quantityText(quantity)?.text ?? (range ? [quantityText(range.low)?.text, quantityText(range.high)?.text].filter(Boolean).join('–') || undefined : undefined);
  const route = obj(d.route) ? conceptText(d.route as never, '') : '';
  const needed = d.asNeededBoolean === true ? 'as needed' : obj(d.asNeededCodeableConcept) ? `as needed for ${conceptText(d.asNeededCodeableConcept as never, 'symptoms')}` : undefined;
  const parts = [dose, route || undefined, timingWords(d.timing), needed].filter(Boolean);
  return parts.length ? parts.join(', ') : str(d.patientInstruction)?.trim();
}

/** Every dosage instruction (a taper has several), in the order sent. */
function dosageText(dosages: unknown): string | undefined {
  const lines = arr<unknown>(dosages).flatMap((d) => (obj(d) ? [oneDosage(obj(d)!)] : [])).filter((x): x is string => !!x);
  return lines.length ? lines.join('; then ') : undefined;
}

function statusWord(status: string | undefined): string | undefined {
  return status && status !== 'active' ? status : undefined;
}

/**
 * Builds the list from any number of Bundles (a MedicationRequest search and a
 * MedicationStatement search, each with its includes). Newest first; active only unless asked.
 */
export function toMedicationList(bundles: Bundle | undefined | (Bundle | undefined)[], ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  const list = (Array.isArray(bundles) ? bundles : [bundles]).filter((b): b is Bundle => !!obj(b));
  const index = medicationIndex(list);
  const items: ListItemView[] = [];
  for (const b of list) {
    for (const m of resourcesOf<MedicationRequest>(b, 'MedicationRequest')) {
      const date = firstDate(m, ['authoredOn']);
      const detail = [dosageText(m.dosageInstruction), m.intent && m.intent !== 'order' ? m.intent : undefined].filter((x): x is string => typeof x === 'string').join(' · ');
      const status = statusWord(str(m.status));
      items.push({ ...baseItem(m, items.length, ctx), title: medicationTitle(m, index), ...(detail ? { detail } : {}), ...(date ? { date } : {}), ...(status ? { status } : {}) });
    }
    for (const s of resourcesOf<MedicationStatement>(b, 'MedicationStatement')) {
      const date = firstDate(s, ['effectiveDateTime', 'effectivePeriod', 'dateAsserted']);
      const reporter = str(obj(s.informationSource)?.reference)?.includes('Patient/') ? 'Reported by the patient' : 'Medication statement';
      const detail = [dosageText(s.dosage), reporter].filter(Boolean).join(' · ');
      const status = statusWord(str(s.status));
      items.push({ ...baseItem(s, items.length, ctx), title: medicationTitle(s, index), detail, ...(date ? { date } : {}), ...(status ? { status } : {}) });
    }
  }
  return finishList(items, opts);
}

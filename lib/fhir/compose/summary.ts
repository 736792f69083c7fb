import type { AllergyIntolerance, Bundle, CodeableConcept, Condition, Patient } from '@medplum/fhirtypes';
import { ageInYears, arr, codeOf, conceptText, fhirDate, firstDate, formatName, obj, str } from './datatypes';
import { baseItem, finishList, resourcesOf, type ComposeContext, type ListItemView, type ListOptions } from './items';
import { provenanceOf, type Provenance } from './provenance';
import { quantityText } from './values';

export interface PatientHeaderView {
  name: string;
  age?: number;
  sex: string;
  birthDate?: string;
  identifier?: { label: string; value: string };
  provenance: Provenance;
}

/** An identifier named a medical record number in words only, as Epic names its identifiers (`type.text` "MRN"). */
const MRN_TEXT = /^(mrn|medical record)/i;
/**
 * Identifiers never shown in the banner in place of a record number: sign-in names and the EHR's
 * internal or exchange ids (Epic's CEID, EPI, FHIR, INTERNAL, MYCHARTLOGIN...), which no
 * clinician checks a wristband against.
 */
const NOT_FOR_BANNER = /login|user ?name|internal|^ceid$|^epi$|^fhir\b|^external$/i;

/** The banner's facts: the ones that prevent a wrong-patient error. */
export function toPatientHeader(p: Patient, ctx: ComposeContext, now: Date): PatientHeaderView {
  const ids = arr<unknown>(obj(p)?.identifier).flatMap((i) => (obj(i) && str(obj(i)?.value) ? [i as NonNullable<Patient['identifier']>[number]] : []));
  const mrn = ids.find((i) => codeOf(i.type) === 'MR') ?? ids.find((i) => MRN_TEXT.test(str(obj(i.type)?.text) ?? '')) ?? ids.find((i) => !NOT_FOR_BANNER.test(str(obj(i.type)?.text) ?? ''));
  const birthDate = fhirDate(p?.birthDate);
  return {
    name: formatName(p?.name, now),
    age: ageInYears(birthDate, now),
    sex: str(p?.gender) ?? 'unknown',
    ...(birthDate ? { birthDate } : {}),
    ...(mrn?.value ? { identifier: { label: obj(mrn.type) ? conceptText(mrn.type, 'ID') : 'ID', value: mrn.value } } : {}),
    provenance: provenanceOf(p, ctx.source, ctx.fetchedAt),
  };
}

type Reaction = NonNullable<AllergyIntolerance['reaction']>[number];

/**
 * SNOMED CT findings that state an absence ("No known allergy", "No known drug allergy", food,
 * environmental, insect): EHRs record them as AllergyIntolerance, but they are not an allergy.
 */
const NO_KNOWN_ALLERGY = new Set(['716186003', '409137002', '429625007', '428607008', '428197003']);
const NO_KNOWN_ALLERGY_TEXT = /^\s*(no known|nka\b|nkda\b)/i;
const SNOMED = 'http://snomed.info/sct';
/** Code systems that name substances (SNOMED CT, RxNorm, NDF-RT, UNII). */
const STANDARD_SUBSTANCE_SYSTEMS = new Set([SNOMED, 'http://www.nlm.nih.gov/research/umls/rxnorm', 'http://hl7.org/fhir/ndfrt', 'http://fdasis.nlm.nih.gov']);

/** True for an AllergyIntolerance saying there is no known allergy (of some kind). */
export function statesNoKnownAllergy(a: AllergyIntolerance): boolean {
  const codings = arr<unknown>(obj(a.code)?.coding).map(obj).filter((c) => str(c?.code));
  if (codings.some((c) => str(c?.system) === SNOMED && NO_KNOWN_ALLERGY.has(str(c?.code)!))) return true;
  // In words only, or under an EHR's local code: never when a standard code names a substance.
  return !codings.some((c) => STANDARD_SUBSTANCE_SYSTEMS.has(str(c?.system) ?? '')) && NO_KNOWN_ALLERGY_TEXT.test(str(obj(a.code)?.text) ?? str(codings[0]?.display) ?? '');
}

/** Allergies, critical first. A statement that there is none is not listed: an empty list already says "no known allergies", and the banner counts allergies. */
export function toAllergyList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  const items = resourcesOf<AllergyIntolerance>(bundle, 'AllergyIntolerance').filter((a) => !statesNoKnownAllergy(a)).map((a, i): ListItemView => {
    const high = a.criticality === 'high';
    // Each reaction with how severe it was, when the source says: "Anaphylaxis (severe)".
    const manifestations = arr<Reaction>(a.reaction).flatMap((r) => {
      const severity = str(obj(r)?.severity);
      return arr<CodeableConcept>(obj(r)?.manifestation).map((m) => (severity ? `${conceptText(m)} (${severity})` : conceptText(m)));
    });
    const detail = [high ? 'High criticality' : undefined, ...manifestations].filter(Boolean).join(' · ');
    const date = firstDate(a, ['recordedDate', 'onsetDateTime', 'onsetPeriod']);
    return {
      ...baseItem(a, i, ctx),
      title: conceptText(a.code, 'Unnamed allergy'),
      ...(detail ? { detail } : {}),
      ...(date ? { date } : {}),
      ...(high ? { flag: 'critical' as const } : {}),
      ...(codeOf(a.clinicalStatus) && codeOf(a.clinicalStatus) !== 'active' ? { status: codeOf(a.clinicalStatus) } : {}),
    };
  });
  // Critical first: the allergy that can kill is the one to see.
  const list = finishList(items, opts);
  return [...list.filter((i) => i.flag === 'critical'), ...list.filter((i) => i.flag !== 'critical')];
}

/**
 * Since when, in the source's words: "Since 2019-03-04", "Since childhood", "Since age 7 years"
 * from onset[x]; "Recorded 2023-05-01" when only the date it was written down is known, which is
 * not when it began. `date` orders the list: the onset's, else the recorded date.
 */
function conditionWhen(c: Condition): { date?: string; detail?: string } {
  const onset = firstDate(c, ['onsetDateTime', 'onsetPeriod']);
  const recorded = firstDate(c, ['recordedDate']);
  const words = str(c.onsetString)?.trim();
  const age = obj(c.onsetAge) ? quantityText(c.onsetAge)?.text : undefined;
  const detail = onset ? `Since ${onset.slice(0, 10)}` : words ? `Since ${words}` : age ? `Since age ${age}` : recorded ? `Recorded ${recorded.slice(0, 10)}` : undefined;
  const date = onset ?? recorded;
  return { ...(date ? { date } : {}), ...(detail ? { detail } : {}) };
}

export function toProblemList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  const items = resourcesOf<Condition>(bundle, 'Condition').map((c, i): ListItemView => {
    const clinical = codeOf(c.clinicalStatus);
    const when = conditionWhen(c);
    return {
      ...baseItem(c, i, ctx),
      title: conceptText(c.code, 'Unnamed problem'),
      ...(when.date ? { date: when.date } : {}),
      ...(when.detail ? { detail: when.detail } : {}),
      ...(clinical && clinical !== 'active' ? { status: clinical } : {}),
    };
  });
  return finishList(items, opts);
}

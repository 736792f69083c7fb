import type { Bundle, CodeableConcept, Immunization, ImmunizationRecommendation } from '@medplum/fhirtypes';
import { arr, codeOf, conceptText, dateMs, firstDate, fhirDate, obj, str } from './datatypes';
import { resourcesOf } from './entries';
import type { ComposeContext } from './items';
import { provenanceOf, type Provenance } from './provenance';
import { entryState } from './status';

/**
 * Immunizations for the patient: vaccines in plain words (CVX names are written for
 * pharmacists: "Influenza, seasonal, injectable, preservative free" is the flu vaccine), the
 * doses given with their dates, and what is due, only where the EHR says so
 * (ImmunizationRecommendation with a forecast of due or overdue).
 */

const CVX = 'http://hl7.org/fhir/sid/cvx';

/** Plain names by CVX code, for the vaccines people are most often given. */
const PLAIN_BY_CVX: Record<string, string> = {
  '140': 'Flu vaccine', '141': 'Flu vaccine', '150': 'Flu vaccine', '155': 'Flu vaccine', '158': 'Flu vaccine', '161': 'Flu vaccine', '171': 'Flu vaccine', '185': 'Flu vaccine', '186': 'Flu vaccine', '197': 'Flu vaccine', '88': 'Flu vaccine',
  '207': 'COVID-19 vaccine', '208': 'COVID-19 vaccine', '210': 'COVID-19 vaccine', '211': 'COVID-19 vaccine', '212': 'COVID-19 vaccine', '213': 'COVID-19 vaccine', '217': 'COVID-19 vaccine', '218': 'COVID-19 vaccine', '219': 'COVID-19 vaccine', '221': 'COVID-19 vaccine', '228': 'COVID-19 vaccine', '300': 'COVID-19 vaccine', '301': 'COVID-19 vaccine', '309': 'COVID-19 vaccine',
  '115': 'Tetanus, diphtheria and whooping cough (Tdap) vaccine', '113': 'Tetanus and diphtheria (Td) vaccine', '139': 'Tetanus and diphtheria (Td) vaccine',
  '33': 'Pneumonia (pneumococcal) vaccine', '133': 'Pneumonia (pneumococcal) vaccine', '215': 'Pneumonia (pneumococcal) vaccine', '216': 'Pneumonia (pneumococcal) vaccine',
  '187': 'Shingles vaccine', '121': 'Shingles vaccine',
  '03': 'Measles, mumps and rubella (MMR) vaccine', '94': 'Measles, mumps, rubella and chickenpox vaccine', '21': 'Chickenpox vaccine',
  '08': 'Hepatitis B vaccine', '43': 'Hepatitis B vaccine', '83': 'Hepatitis A vaccine', '52': 'Hepatitis A vaccine',
  '62': 'HPV vaccine', '165': 'HPV vaccine', '114': 'Meningitis (meningococcal) vaccine', '136': 'Meningitis (meningococcal) vaccine',
  '305': 'RSV vaccine', '303': 'RSV vaccine', '304': 'RSV vaccine',
};

/** A vaccine in plain words: by CVX code, else the EHR's text, else the disease it protects against. */
export function plainVaccineName(vaccine: CodeableConcept | undefined, targetDisease?: CodeableConcept): string {
  const cvx = codeOf(vaccine, CVX);
  if (cvx && PLAIN_BY_CVX[cvx]) return PLAIN_BY_CVX[cvx]!;
  const text = conceptText(vaccine, '');
  if (text) return text;
  const disease = conceptText(targetDisease, '');
  return disease ? `${disease} vaccine` : 'A vaccine (name not given)';
}

export interface ImmunizationGivenView {
  key: string;
  name: string;
  /** What the EHR calls it, when different from the plain name. */
  sourceName?: string;
  date?: string;
  provenance: Provenance;
}

export interface ImmunizationDueView {
  key: string;
  name: string;
  /** "Due" or "Overdue". */
  statusWords: string;
  overdue: boolean;
  /** The date the EHR gives it is due (LOINC 30980-7), else the earliest date it may be given (30981-5). */
  dueDate?: string;
  dose?: string;
  provenance: Provenance;
}

/** Doses given (completed, not entered in error), newest first. */
export function toImmunizationsGiven(bundle: Bundle | undefined, ctx: ComposeContext): ImmunizationGivenView[] {
  return resourcesOf<Immunization>(bundle, 'Immunization')
    .filter((i) => i.status === 'completed' && entryState(i) === 'active')
    .map((i, n) => {
      const name = plainVaccineName(i.vaccineCode);
      const source = conceptText(i.vaccineCode, '');
      const date = firstDate(i, ['occurrenceDateTime', 'recorded']);
      return { key: `Immunization/${i.id ?? n}#${n}`, name, ...(source && source !== name ? { sourceName: source } : {}), ...(date ? { date } : {}), provenance: provenanceOf(i, ctx.source, ctx.fetchedAt) };
    })
    .sort((a, b) => dateMs(b.date) - dateMs(a.date));
}

const FORECAST = 'http://terminology.hl7.org/CodeSystem/immunization-recommendation-status';
const DUE_DATE = '30980-7';
const EARLIEST = '30981-5';

function forecastOf(c: CodeableConcept | undefined): string | undefined {
  return codeOf(c, FORECAST) ?? str(c?.text)?.trim().toLowerCase();
}

/** What is due or overdue, overdue first, then by due date (undated last). Other forecasts (complete, immune, contraindicated) are not listed. */
export function toImmunizationsDue(bundle: Bundle | undefined, ctx: ComposeContext): ImmunizationDueView[] {
  const out: ImmunizationDueView[] = [];
  for (const rec of resourcesOf<ImmunizationRecommendation>(bundle, 'ImmunizationRecommendation')) {
    arr<NonNullable<ImmunizationRecommendation['recommendation']>[number]>(rec.recommendation).forEach((r, n) => {
      const forecast = forecastOf(r.forecastStatus);
      if (forecast !== 'due' && forecast !== 'overdue') return;
      const criteria = arr<{ code?: CodeableConcept; value?: string }>(r.dateCriterion);
      const date = [DUE_DATE, EARLIEST].map((code) => fhirDate(criteria.find((c) => codeOf(c.code) === code)?.value)).find(Boolean);
      const dose = str(r.doseNumberString) ?? (typeof r.doseNumberPositiveInt === 'number' ? `Dose ${r.doseNumberPositiveInt}` : undefined);
      out.push({
        key: `ImmunizationRecommendation/${rec.id ?? ''}#${n}`,
        name: plainVaccineName(arr<CodeableConcept>(r.vaccineCode)[0], obj(r.targetDisease) ? r.targetDisease : undefined),
        statusWords: forecast === 'overdue' ? 'Overdue' : 'Due',
        overdue: forecast === 'overdue',
        ...(date ? { dueDate: date } : {}),
        ...(dose ? { dose } : {}),
        provenance: provenanceOf(rec, ctx.source, ctx.fetchedAt),
      });
    });
  }
  const dated = (v: ImmunizationDueView) => (v.dueDate ? dateMs(v.dueDate) : Number.POSITIVE_INFINITY);
  return out.sort((a, b) => Number(b.overdue) - Number(a.overdue) || dated(a) - dated(b));
}

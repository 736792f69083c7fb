import type { CodeableConcept } from '@medplum/fhirtypes';
import { arr, obj, str } from './datatypes';

/**
 * What a test measures, in one plain sentence, for the laboratory tests patients meet most often.
 *
 * Keyed by LOINC code. Every sentence was written for Housecall (none is copied); each entry names
 * what it was checked against: the LOINC code's long common name (LOINC, Regenstrief Institute) and
 * the public reference page a reader can look up (MedlinePlus Lab Tests, U.S. National Library of
 * Medicine), by title only. Codes not in the table fall back to the EHR's own words for the test.
 */
export interface LabDescription {
  /** LOINC long common name of the code. */
  loincName: string;
  /** One plain sentence: what the test measures and why it is done. */
  text: string;
  /** The public reference the sentence was checked against, by name. */
  reference: string;
}

const ML = 'MedlinePlus Lab Tests';
const entry = (loincName: string, page: string, text: string): LabDescription => ({ loincName, text, reference: `${ML}: ${page}` });

export const LAB_DESCRIPTIONS: Readonly<Record<string, LabDescription>> = {
  '718-7': entry('Hemoglobin [Mass/volume] in Blood', 'Hemoglobin Test', 'The protein in red blood cells that carries oxygen around the body; low levels can mean anaemia.'),
  '4544-3': entry('Hematocrit [Volume Fraction] of Blood by Automated count', 'Hematocrit Test', 'How much of your blood, by volume, is made up of red blood cells.'),
  '789-8': entry('Erythrocytes [#/volume] in Blood by Automated count', 'Red Blood Cell (RBC) Count', 'How many red blood cells, which carry oxygen, are in a set amount of blood.'),
  '6690-2': entry('Leukocytes [#/volume] in Blood by Automated count', 'White Blood Count (WBC)', 'How many white blood cells, which fight infection, are in a set amount of blood.'),
  '777-3': entry('Platelets [#/volume] in Blood by Automated count', 'Platelet Tests', 'How many platelets, the cell fragments that help blood clot, are in a set amount of blood.'),
  '787-2': entry('MCV [Entitic volume] by Automated count', 'RBC Indices', 'The average size of your red blood cells, which helps tell different kinds of anaemia apart.'),
  '2345-7': entry('Glucose [Mass/volume] in Serum or Plasma', 'Blood Glucose Test', 'The amount of sugar in your blood, your body’s main source of energy; used to find and follow diabetes.'),
  '2951-2': entry('Sodium [Moles/volume] in Serum or Plasma', 'Sodium Blood Test', 'A salt that helps keep the right balance of water in your body and lets nerves and muscles work.'),
  '2823-3': entry('Potassium [Moles/volume] in Serum or Plasma', 'Potassium Blood Test', 'A mineral your heart and muscles need to work properly; kidneys and some medicines change its level.'),
  '2075-0': entry('Chloride [Moles/volume] in Serum or Plasma', 'Chloride Blood Test', 'A salt that works with sodium to keep your body’s fluids and acid balance steady.'),
  '2028-9': entry('Carbon dioxide, total [Moles/volume] in Serum or Plasma', 'Bicarbonate Blood Test', 'Mostly bicarbonate, which shows whether your blood is holding the right acid balance.'),
  '3094-0': entry('Urea nitrogen [Mass/volume] in Serum or Plasma', 'BUN (Blood Urea Nitrogen)', 'A waste product your kidneys clear from the blood; used with creatinine to check kidney function.'),
  '2160-0': entry('Creatinine [Mass/volume] in Serum or Plasma', 'Creatinine Test', 'A waste product from muscles that healthy kidneys filter out; a higher level can mean the kidneys are working less well.'),
  '33914-3': entry('Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum or Plasma by Creatinine-based formula (MDRD)', 'Glomerular Filtration Rate (GFR) Test', 'An estimate, worked out from creatinine, of how well your kidneys filter blood; lower means less filtering.'),
  '62238-1': entry('Glomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI)', 'Glomerular Filtration Rate (GFR) Test', 'An estimate, worked out from creatinine, of how well your kidneys filter blood; lower means less filtering.'),
  '17861-6': entry('Calcium [Mass/volume] in Serum or Plasma', 'Calcium Blood Test', 'A mineral needed for bones, nerves, muscles and the heart.'),
  '1751-7': entry('Albumin [Mass/volume] in Serum or Plasma', 'Albumin Blood Test', 'A protein made by the liver that keeps fluid in your blood vessels; reflects liver health and nutrition.'),
  '1742-6': entry('Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'Alanine Transaminase (ALT) Blood Test', 'An enzyme found mainly in the liver; a raised level can be a sign of liver irritation or damage.'),
  '1920-8': entry('Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma', 'AST Test', 'An enzyme found in the liver and muscles; read together with ALT to judge the liver.'),
  '6768-6': entry('Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma', 'Alkaline Phosphatase', 'An enzyme from the liver and bones; its level helps check those organs.'),
  '1975-2': entry('Bilirubin.total [Mass/volume] in Serum or Plasma', 'Bilirubin Blood Test', 'A yellow substance made when old red blood cells break down and cleared by the liver.'),
  '2093-3': entry('Cholesterol [Mass/volume] in Serum or Plasma', 'Cholesterol Levels', 'All the cholesterol in your blood; high levels over years raise the risk of heart disease.'),
  '2085-9': entry('Cholesterol in HDL [Mass/volume] in Serum or Plasma', 'HDL: The "Good" Cholesterol', 'The “good” cholesterol that carries fat away from the arteries; higher is usually better.'),
  '18262-6': entry('Cholesterol in LDL [Mass/volume] in Serum or Plasma by Direct assay', 'LDL: The "Bad" Cholesterol', 'The “bad” cholesterol that can build up in artery walls; lower is usually better.'),
  '13457-7': entry('Cholesterol in LDL [Mass/volume] in Serum or Plasma by calculation', 'LDL: The "Bad" Cholesterol', 'The “bad” cholesterol that can build up in artery walls, worked out from the other lipid results.'),
  '2571-8': entry('Triglyceride [Mass/volume] in Serum or Plasma', 'Triglycerides Test', 'A kind of fat in the blood that comes from food and stored energy; high levels add to heart risk.'),
  '4548-4': entry('Hemoglobin A1c/Hemoglobin.total in Blood', 'Hemoglobin A1C (HbA1c) Test', 'Your average blood sugar over the past two to three months; used to find and follow diabetes.'),
  '3016-3': entry('Thyrotropin [Units/volume] in Serum or Plasma', 'TSH (Thyroid-Stimulating Hormone) Test', 'A hormone from the pituitary gland that tells the thyroid how hard to work; shows whether the thyroid is over- or under-active.'),
  '2276-4': entry('Ferritin [Mass/volume] in Serum or Plasma', 'Ferritin Blood Test', 'A protein that stores iron; a low level usually means the body’s iron stores are low.'),
  '6301-6': entry('INR in Platelet poor plasma by Coagulation assay', 'Prothrombin Time Test and INR (PT/INR)', 'How long your blood takes to clot, on a standard scale; used to adjust blood-thinning medicine.'),
  '5792-7': entry('Glucose [Mass/volume] in Urine by Test strip', 'Glucose in Urine Test', 'Whether there is sugar in your urine, which usually there is not.'),
  '14959-1': entry('Microalbumin/Creatinine [Mass Ratio] in Urine', 'Microalbumin Creatinine Ratio', 'A small amount of a protein in urine compared with creatinine; an early sign of kidney strain.'),
};

/** A test's description and where it came from: the curated table, or the EHR's own words. */
export type TestDescription =
  | { kind: 'curated'; loinc: string; text: string; reference: string; loincName: string }
  | { kind: 'ehr'; text: string };

const LOINC = 'http://loinc.org';

/** LOINC codes of a concept, in the order sent (codings in LOINC or with no stated system). */
function loincCodes(code: unknown): string[] {
  return arr<unknown>(obj(code)?.coding).flatMap((c) => {
    const coding = obj(c);
    const value = str(coding?.code);
    return value && (coding?.system === undefined || coding.system === LOINC) ? [value] : [];
  });
}

/**
 * What a test measures: the first of its LOINC codes that the curated table knows; else the
 * EHR's own text for the test (`code.text`, else a coding's display) when it says more than the
 * title already shown; else nothing.
 */
export function describeTest(code: CodeableConcept | undefined, shownTitle?: string): TestDescription | undefined {
  for (const loinc of loincCodes(code)) {
    const hit = LAB_DESCRIPTIONS[loinc];
    if (hit) return { kind: 'curated', loinc, text: hit.text, reference: hit.reference, loincName: hit.loincName };
  }
  // The EHR's words only: a bare code is no description.
  const concept = obj(code);
  const text = (str(concept?.text) ?? arr<unknown>(concept?.coding).map((c) => str(obj(c)?.display)).find(Boolean))?.trim();
  if (!text || text.toLowerCase() === shownTitle?.trim().toLowerCase()) return undefined;
  return { kind: 'ehr', text };
}

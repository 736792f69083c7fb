import type { AllergyIntolerance, Bundle, CodeableConcept, Condition, Patient } from '@medplum/fhirtypes';
import { ageInYears, arr, codeOf, conceptText, fhirDate, firstDate, formatName, obj, str } from './datatypes';
import { baseItem, finishList, resourcesOf, type ComposeContext, type ListItemView, type ListOptions } from './items';
import { provenanceOf, type Provenance } from './provenance';

export interface PatientHeaderView {
  name: string;
  age?: number;
  sex: string;
  birthDate?: string;
  identifier?: { label: string; value: string };
  provenance: Provenance;
}

/** The banner's facts: the ones that prevent a wrong-patient error. */
export function toPatientHeader(p: Patient, ctx: ComposeContext, now: Date): PatientHeaderView {
  const ids = arr<unknown>(obj(p)?.identifier).flatMap((i) => (obj(i) && str(obj(i)?.value) ? [i as NonNullable<Patient['identifier']>[number]] : []));
  const mrn = ids.find((i) => codeOf(i.type) === 'MR') ?? ids[0];
  const birthDate = fhirDate(p?.birthDate);
  return {
    name: formatName(p?.name),
    age: ageInYears(birthDate, now),
    sex: str(p?.gender) ?? 'unknown',
    ...(birthDate ? { birthDate } : {}),
    ...(mrn?.value ? { identifier: { label: obj(mrn.type) ? conceptText(mrn.type, 'ID') : 'ID', value: mrn.value } } : {}),
    provenance: provenanceOf(p, ctx.source, ctx.fetchedAt),
  };
}

type Reaction = NonNullable<AllergyIntolerance['reaction']>[number];

export function toAllergyList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  const items = resourcesOf<AllergyIntolerance>(bundle, 'AllergyIntolerance').map((a, i): ListItemView => {
    const high = a.criticality === 'high';
    const manifestations = arr<Reaction>(a.reaction).flatMap((r) => arr<CodeableConcept>(obj(r)?.manifestation).map((m) => conceptText(m)));
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

export function toProblemList(bundle: Bundle | undefined, ctx: ComposeContext, opts: ListOptions = {}): ListItemView[] {
  const items = resourcesOf<Condition>(bundle, 'Condition').map((c, i): ListItemView => {
    const onset = firstDate(c, ['onsetDateTime', 'onsetPeriod', 'recordedDate']);
    const clinical = codeOf(c.clinicalStatus);
    return {
      ...baseItem(c, i, ctx),
      title: conceptText(c.code, 'Unnamed problem'),
      ...(onset ? { date: onset, detail: `Since ${onset.slice(0, 10)}` } : {}),
      ...(clinical && clinical !== 'active' ? { status: clinical } : {}),
    };
  });
  return finishList(items, opts);
}

import type { AllergyIntolerance, Bundle, CodeableConcept, Condition, Medication, MedicationRequest, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { ageInYears, arr, codeOf, conceptText, formatName, formatQuantity, str } from './datatypes';
import { provenanceOf, type Provenance } from './provenance';

export interface PatientHeaderView {
  name: string;
  age?: number;
  sex: string;
  birthDate?: string;
  identifier?: { label: string; value: string };
  provenance: Provenance;
}

export interface ListItemView {
  key: string;
  title: string;
  detail?: string;
  flag?: 'high' | 'low' | 'critical' | 'abnormal';
  provenance: Provenance;
}

type Ctx = { source: string; fetchedAt: string };

let anonymous = 0;
/** A stable list key: type and id, or a fresh placeholder when the server sent no usable id. */
function resourceKey(r: Resource): string {
  return `${r.resourceType}/${str(r.id) ?? `no-id-${++anonymous}`}`;
}

export function resourcesOf<T extends Resource>(bundle: Bundle | undefined, type: T['resourceType'], mode: 'match' | 'include' = 'match'): T[] {
  return arr<NonNullable<Bundle['entry']>[number]>(bundle?.entry)
    .filter((e) => e.resource?.resourceType === type && (e.search?.mode ?? 'match') === mode)
    .map((e) => e.resource as T);
}

export function toPatientHeader(p: Patient, ctx: Ctx, now: Date): PatientHeaderView {
  const ids = arr<NonNullable<Patient['identifier']>[number]>(p.identifier).filter((i) => typeof i === 'object');
  const mrn = ids.find((i) => arr<{ code?: string }>(i.type?.coding).some((c) => c?.code === 'MR')) ?? ids[0];
  return {
    name: formatName(p.name),
    age: ageInYears(p.birthDate, now),
    sex: typeof p.gender === 'string' ? p.gender : 'unknown',
    birthDate: str(p.birthDate),
    identifier: str(mrn?.value) ? { label: mrn?.type ? conceptText(mrn.type, 'ID') : 'ID', value: mrn!.value! } : undefined,
    provenance: provenanceOf(p, ctx.source, ctx.fetchedAt),
  };
}

const HIDDEN_VERIFICATION = new Set(['entered-in-error', 'refuted']);

export function toAllergyList(bundle: Bundle | undefined, ctx: Ctx): ListItemView[] {
  return resourcesOf<AllergyIntolerance>(bundle, 'AllergyIntolerance')
    .filter((a) => !HIDDEN_VERIFICATION.has(codeOf(a.verificationStatus) ?? '') && codeOf(a.clinicalStatus) !== 'inactive' && codeOf(a.clinicalStatus) !== 'resolved')
    .map((a) => ({
      key: resourceKey(a),
      title: conceptText(a.code, 'Unnamed allergy'),
      detail: [a.criticality === 'high' ? 'High criticality' : undefined, ...arr<NonNullable<AllergyIntolerance['reaction']>[number]>(a.reaction).flatMap((r) => arr<CodeableConcept>(r.manifestation).map((m) => conceptText(m)))].filter(Boolean).join(' · ') || undefined,
      flag: a.criticality === 'high' ? 'critical' : undefined,
      provenance: provenanceOf(a, ctx.source, ctx.fetchedAt),
    }));
}

export function toProblemList(bundle: Bundle | undefined, ctx: Ctx): ListItemView[] {
  return resourcesOf<Condition>(bundle, 'Condition')
    .filter((c) => !HIDDEN_VERIFICATION.has(codeOf(c.verificationStatus) ?? '') && ['active', 'recurrence', 'relapse', undefined].includes(codeOf(c.clinicalStatus)))
    .map((c) => ({
      key: resourceKey(c),
      title: conceptText(c.code, 'Unnamed problem'),
      detail: str(c.onsetDateTime) ? `Since ${c.onsetDateTime!.slice(0, 10)}` : undefined,
      provenance: provenanceOf(c, ctx.source, ctx.fetchedAt),
    }));
}

export function toMedicationList(bundle: Bundle | undefined, ctx: Ctx): ListItemView[] {
  const included = new Map(resourcesOf<Medication>(bundle, 'Medication', 'include').map((m) => [`Medication/${m.id}`, m]));
  return resourcesOf<MedicationRequest>(bundle, 'MedicationRequest')
    .filter((m) => m.status === 'active' || m.status === 'on-hold')
    .map((m) => {
      const med = m.medicationReference?.reference ? included.get(m.medicationReference.reference) : undefined;
      const title = m.medicationCodeableConcept ? conceptText(m.medicationCodeableConcept) : med ? conceptText(med.code) : m.medicationReference?.display ?? 'Unnamed medication';
      return {
        key: resourceKey(m),
        title,
        detail: str(arr<{ text?: string }>(m.dosageInstruction)[0]?.text),
        provenance: provenanceOf(m, ctx.source, ctx.fetchedAt),
      };
    });
}

function observationValue(o: Observation): string | undefined {
  if (o.valueQuantity) return formatQuantity(o.valueQuantity);
  if (typeof o.valueString === 'string') return o.valueString;
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  const components = arr<NonNullable<Observation['component']>[number]>(o.component);
  const parts = components.map((c) => formatQuantity(c.valueQuantity)?.split(' ')[0]).filter(Boolean);
  if (parts.length) return `${parts.join('/')} ${str(components[0]?.valueQuantity?.unit) ?? ''}`.trim();
  return undefined;
}

function flagOf(o: Observation): ListItemView['flag'] {
  const code = codeOf(arr<CodeableConcept>(o.interpretation)[0]);
  if (code === 'H' || code === 'HH') return 'high';
  if (code === 'L' || code === 'LL') return 'low';
  if (code === 'A' || code === 'AA') return 'abnormal';
  return undefined;
}

/** Latest value per vital-sign code, newest first. */
export function toLatestVitals(bundle: Bundle | undefined, ctx: Ctx): ListItemView[] {
  const latest = new Map<string, Observation>();
  for (const o of resourcesOf<Observation>(bundle, 'Observation')) {
    if (o.status === 'entered-in-error' || o.status === 'cancelled') continue;
    const code = codeOf(o.code) ?? conceptText(o.code);
    const prev = latest.get(code);
    if (!prev || (str(o.effectiveDateTime) ?? '') > (str(prev.effectiveDateTime) ?? '')) latest.set(code, o);
  }
  return [...latest.values()].map((o) => ({
    key: resourceKey(o),
    title: conceptText(o.code, 'Unnamed measurement'),
    detail: [observationValue(o), str(o.effectiveDateTime)?.slice(0, 10)].filter(Boolean).join(' · ') || undefined,
    flag: flagOf(o),
    provenance: provenanceOf(o, ctx.source, ctx.fetchedAt),
  }));
}

import type { AllergyIntolerance, Bundle, Condition, Medication, MedicationRequest, Observation, Patient, Resource } from '@medplum/fhirtypes';
import { ageInYears, codeOf, conceptText, formatName, formatQuantity } from './datatypes';
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

export function resourcesOf<T extends Resource>(bundle: Bundle | undefined, type: T['resourceType'], mode: 'match' | 'include' = 'match'): T[] {
  return (bundle?.entry ?? [])
    .filter((e) => e.resource?.resourceType === type && (e.search?.mode ?? 'match') === mode)
    .map((e) => e.resource as T);
}

export function toPatientHeader(p: Patient, ctx: Ctx, now: Date): PatientHeaderView {
  const mrn = (p.identifier ?? []).find((i) => i?.type?.coding?.some((c) => c.code === 'MR')) ?? p.identifier?.[0];
  return {
    name: formatName(p.name),
    age: ageInYears(p.birthDate, now),
    sex: typeof p.gender === 'string' ? p.gender : 'unknown',
    birthDate: p.birthDate,
    identifier: mrn?.value ? { label: mrn.type ? conceptText(mrn.type, 'ID') : 'ID', value: mrn.value } : undefined,
    provenance: provenanceOf(p, ctx.source, ctx.fetchedAt),
  };
}

const HIDDEN_VERIFICATION = new Set(['entered-in-error', 'refuted']);

export function toAllergyList(bundle: Bundle | undefined, ctx: Ctx): ListItemView[] {
  return resourcesOf<AllergyIntolerance>(bundle, 'AllergyIntolerance')
    .filter((a) => !HIDDEN_VERIFICATION.has(codeOf(a.verificationStatus) ?? '') && codeOf(a.clinicalStatus) !== 'inactive' && codeOf(a.clinicalStatus) !== 'resolved')
    .map((a) => ({
      key: `AllergyIntolerance/${a.id}`,
      title: conceptText(a.code, 'Unnamed allergy'),
      detail: [a.criticality === 'high' ? 'High criticality' : undefined, ...(a.reaction ?? []).flatMap((r) => (r.manifestation ?? []).map((m) => conceptText(m)))].filter(Boolean).join(' · ') || undefined,
      flag: a.criticality === 'high' ? 'critical' : undefined,
      provenance: provenanceOf(a, ctx.source, ctx.fetchedAt),
    }));
}

export function toProblemList(bundle: Bundle | undefined, ctx: Ctx): ListItemView[] {
  return resourcesOf<Condition>(bundle, 'Condition')
    .filter((c) => !HIDDEN_VERIFICATION.has(codeOf(c.verificationStatus) ?? '') && ['active', 'recurrence', 'relapse', undefined].includes(codeOf(c.clinicalStatus)))
    .map((c) => ({
      key: `Condition/${c.id}`,
      title: conceptText(c.code, 'Unnamed problem'),
      detail: c.onsetDateTime ? `Since ${c.onsetDateTime.slice(0, 10)}` : undefined,
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
        key: `MedicationRequest/${m.id}`,
        title,
        detail: m.dosageInstruction?.[0]?.text ?? undefined,
        provenance: provenanceOf(m, ctx.source, ctx.fetchedAt),
      };
    });
}

function observationValue(o: Observation): string | undefined {
  if (o.valueQuantity) return formatQuantity(o.valueQuantity);
  if (typeof o.valueString === 'string') return o.valueString;
  if (o.valueCodeableConcept) return conceptText(o.valueCodeableConcept);
  const parts = (o.component ?? []).map((c) => formatQuantity(c.valueQuantity)?.split(' ')[0]).filter(Boolean);
  if (parts.length) return `${parts.join('/')} ${o.component?.[0]?.valueQuantity?.unit ?? ''}`.trim();
  return undefined;
}

function flagOf(o: Observation): ListItemView['flag'] {
  const code = codeOf(o.interpretation?.[0]);
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
    if (!prev || (o.effectiveDateTime ?? '') > (prev.effectiveDateTime ?? '')) latest.set(code, o);
  }
  return [...latest.values()].map((o) => ({
    key: `Observation/${o.id}`,
    title: conceptText(o.code, 'Unnamed measurement'),
    detail: [observationValue(o), o.effectiveDateTime?.slice(0, 10)].filter(Boolean).join(' · ') || undefined,
    flag: flagOf(o),
    provenance: provenanceOf(o, ctx.source, ctx.fetchedAt),
  }));
}

/**
 * The sandbox's users: every seeded Practitioner, Patient and RelatedPerson is an account whose id
 * is its FHIR id. Sign-in is choosing one; there are no passwords in the sandbox.
 */
import type { Encounter, HumanName, Patient, Practitioner, RelatedPerson } from '@medplum/fhirtypes';
import type { Seed } from '../../fixtures/types';

export type AccountType = 'Patient' | 'Practitioner' | 'RelatedPerson';

export interface SandboxAccount {
  id: string;
  type: AccountType;
  /** `Patient/{id}`, `Practitioner/{id}` or `RelatedPerson/{id}`: the SMART `fhirUser` claim (relative). */
  fhirUser: string;
  displayName: string;
  /** For a RelatedPerson: the patient they are related to (their only patient context). */
  relatedPatientId?: string;
  /** For a Practitioner: their PractitionerRole in the seed (`PractitionerRole/{id}`), the `fhirUser` the `fhirUserAsRole` knob names. */
  roleFhirUser?: string;
}

export interface Accounts {
  get(id: string): SandboxAccount | undefined;
  practitioners: SandboxAccount[];
  patients: SandboxAccount[];
  relatedPersons: SandboxAccount[];
  /** The patient's most recent Encounter id, if any (the EHR's "current encounter"). */
  latestEncounterOf(patientId: string): string | undefined;
  /** Whether `encounterId` is one of the patient's Encounters. */
  hasEncounter(patientId: string, encounterId: string): boolean;
}

/** "Given Family" from the first usable name, or the fallback. */
export function formatName(names: HumanName[] | undefined, fallback: string): string {
  const name = names?.find((n) => n.use === 'official') ?? names?.[0];
  if (!name) return fallback;
  if (name.text) return name.text;
  const parts = [...(name.prefix ?? []), ...(name.given ?? []), name.family].filter(Boolean);
  return parts.length ? parts.join(' ') : fallback;
}

function encounterStart(encounter: Encounter): number {
  const time = Date.parse(encounter.period?.start ?? encounter.period?.end ?? '');
  return Number.isNaN(time) ? -Infinity : time;
}

export function createAccounts(seed: Seed): Accounts {
  const byId = new Map<string, SandboxAccount>();
  const add = (resource: (Patient | Practitioner | RelatedPerson) & { id: string }, type: AccountType) => {
    if (byId.has(resource.id)) {
      throw new Error(`seed: ${type}/${resource.id} reuses an id already taken by another account`);
    }
    const account: SandboxAccount = {
      id: resource.id,
      type,
      fhirUser: `${type}/${resource.id}`,
      displayName: formatName(resource.name, `${type} ${resource.id}`),
    };
    byId.set(resource.id, account);
    return account;
  };
  const practitioners = seed.practitioners.map((p) => add(p, 'Practitioner'));
  for (const role of seed.shared) {
    if (role.resourceType !== 'PractitionerRole' || !role.id) continue;
    const practitioner = byId.get(role.practitioner?.reference?.replace(/^Practitioner\//, '') ?? '');
    if (practitioner?.type === 'Practitioner' && !practitioner.roleFhirUser) practitioner.roleFhirUser = `PractitionerRole/${role.id}`;
  }
  const patients = seed.patients.map((p) => add(p.patient, 'Patient'));
  const relatedPersons = seed.relatedPersons.map((r) => {
    const account = add(r, 'RelatedPerson');
    const patientId = r.patient.reference?.replace(/^Patient\//, '');
    if (patientId) account.relatedPatientId = patientId;
    return account;
  });

  const encounters = new Map<string, Encounter[]>();
  for (const fixture of seed.patients) {
    const list = fixture.resources.filter((r): r is Encounter => r.resourceType === 'Encounter' && !!r.id);
    list.sort((a, b) => encounterStart(b) - encounterStart(a));
    encounters.set(fixture.patient.id, list);
  }

  return {
    get: (id) => byId.get(id),
    practitioners,
    patients,
    relatedPersons,
    latestEncounterOf: (patientId) => encounters.get(patientId)?.[0]?.id,
    hasEncounter: (patientId, encounterId) =>
      encounters.get(patientId)?.some((e) => e.id === encounterId) ?? false,
  };
}

import type { CapabilityStatement } from '@medplum/fhirtypes';
import { chooseStrategy, type DownloadTarget, type Transport } from '@/lib/sync';
import { OBSERVATION_CATEGORIES } from '@/lib/fhir/compose/requests';

/** What a launch downloads: the patient's record (the portal), or nothing (the chart reads through its cache). */
export type SyncDownloads = 'patient' | 'none';

/** The types the chart summary shows (and so the portal caches), kept fresh by delta download. */
export const SYNCED_TYPES = ['AllergyIntolerance', 'Condition', 'MedicationRequest', 'MedicationStatement', 'Observation'] as const;

/**
 * The EHR's CapabilityStatement as the proxy passes it on (trimmed, lib/fhir capabilities.ts), or
 * undefined when it cannot be had (offline, refused): then only what a full refetch can keep
 * cheaply is downloaded.
 */
export async function loadCapability(transport: Transport): Promise<CapabilityStatement | undefined> {
  try {
    const response = await transport({ method: 'GET', url: 'metadata' });
    const body = response.body as CapabilityStatement | undefined;
    return response.status === 200 && body?.resourceType === 'CapabilityStatement' ? body : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What each round downloads. The patient's own record is read whole every round (one resource:
 * a read costs what its history would, and confirms the copy). Each summary type is added when
 * the EHR offers a delta for it (`_history` or `_lastUpdated`, chosen per type from its
 * CapabilityStatement, lib/sync delta.ts); a type it can only refetch in full is left to the
 * views' read-through cache, since a full refetch of a big chart every round costs megabytes.
 */
export function syncTargets(patient: string, downloads: SyncDownloads, capability: CapabilityStatement | undefined, readable?: readonly string[]): DownloadTarget[] {
  if (downloads === 'none') return [];
  const types = SYNCED_TYPES.flatMap((type): DownloadTarget[] =>
    // Observations one category at a time (OBSERVATION_CATEGORIES): Epic refuses a search naming none.
    type === 'Observation'
      ? OBSERVATION_CATEGORIES.map((category) => ({ key: `${type}?patient=${patient}&category=${category}`, resourceType: type, params: { patient, category } }))
      : [{ key: `${type}?patient=${patient}`, resourceType: type, params: { patient } }],
  );
  const all: DownloadTarget[] = [{ key: `Patient/${patient}`, resourceType: 'Patient', id: patient, prefer: 'full' }, ...types.filter((t) => chooseStrategy(capability, t) !== 'full')];
  // `readable`: the types the launch's grant lets be read whole (lib/smart downloadableTypes). A
  // download the grant would refuse is never sent: it shows nothing and counts as a refused access.
  return readable ? all.filter((t) => readable.includes(t.resourceType)) : all;
}

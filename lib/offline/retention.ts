/**
 * Data classes and how long each may stay on the device (DESIGN §1 Offline). Retention counts
 * from when the record was stored on this device. Drafts are the user's own unsent work and are
 * never deleted without asking; operational state (sync cursors, the outbox) lives as long as
 * the partition does. Eviction under storage pressure follows EVICTION_ORDER and never touches
 * drafts or operational state.
 */
export const DATA_CLASSES = ['reference', 'clinical', 'drafts', 'operational'] as const;
/** A record's data class. */
export type DataClass = (typeof DATA_CLASSES)[number];

/** Milliseconds each class is kept; `Infinity` means never expires. */
export type RetentionPolicy = Readonly<Record<DataClass, number>>;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Defaults: reference data 30 days, clinical data 72 hours, drafts and operational state kept. */
export const DEFAULT_RETENTION: RetentionPolicy = {
  reference: 30 * DAY,
  clinical: 72 * HOUR,
  drafts: Infinity,
  operational: Infinity,
};

/**
 * Which classes give way first when the device is out of space: clinical data (short-lived and
 * the most sensitive) before reference data. Drafts and operational state are never evicted:
 * they hold work the user has not yet saved to the EHR.
 */
export const EVICTION_ORDER: readonly DataClass[] = ['clinical', 'reference'];

/** Classes that `sweep()` and eviction may delete. */
export function isDisposable(cls: DataClass): boolean {
  return cls === 'clinical' || cls === 'reference';
}

/**
 * Past its class's retention at `now`. Both times are the device's: a row stored more than its
 * whole window ahead of `now` was stored before the clock stepped back by at least that much, its
 * age cannot be told, and it counts as past it; a smaller step keeps a row at most one window
 * longer. Without this a clock set a year ahead and put right would keep clinical data a year.
 */
export function isExpired(cls: DataClass, storedAt: number, now: number, policy: RetentionPolicy = DEFAULT_RETENTION): boolean {
  const keep = policy[cls];
  return Number.isFinite(keep) && (now - storedAt >= keep || storedAt - now >= keep);
}

/**
 * Resource types that describe the world rather than the patient (terminology, people,
 * places). Everything else read from the chart is clinical.
 */
const REFERENCE_TYPES = new Set([
  'Medication', 'Organization', 'Practitioner', 'PractitionerRole', 'Location', 'HealthcareService',
  'ValueSet', 'CodeSystem', 'StructureDefinition', 'CapabilityStatement', 'Questionnaire',
]);

/** The data class of a resource downloaded from the EHR. */
export function classForResourceType(resourceType: string): DataClass {
  return REFERENCE_TYPES.has(resourceType) ? 'reference' : 'clinical';
}

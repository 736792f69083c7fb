/** Shared by the composition tests: named seed patients as search Bundles. Not used by the app. */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { buildSeed, type PatientFixture } from '../../../fixtures';

export const ctx = { source: 'Test EHR', fetchedAt: '2026-11-01T09:00:00Z' };

export function bundleOf(resources: Resource[], mode: 'match' | 'include' = 'match'): Bundle {
  return { resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource, search: { mode } })) };
}

let seed: ReturnType<typeof buildSeed> | undefined;
export function theSeed(): ReturnType<typeof buildSeed> {
  seed ??= buildSeed();
  return seed;
}

export function chartOf(patientId: string): PatientFixture & { of: (type: string) => Resource[] } {
  const fixture = theSeed().patients.find((p) => p.patient.id === patientId);
  if (!fixture) throw new Error(`no seeded patient ${patientId}`);
  return { ...fixture, of: (type) => fixture.resources.filter((r) => r.resourceType === type) };
}

/** Observations of one category, as the chart's category search returns them. */
export function observationsIn(patientId: string, category: 'vital-signs' | 'laboratory'): Resource[] {
  return chartOf(patientId).of('Observation').filter((o) => (JSON.stringify((o as { category?: unknown }).category) ?? '').includes(`"${category}"`));
}

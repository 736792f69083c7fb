/**
 * The `agePatientData` knob: a patient's data served as if it had stopped arriving `days` ago.
 * Applied to responses only (the stored resources are untouched, so resetting the knobs undoes
 * it): every full date (`2026-10-01`) or date-time in a resource of the patient's compartment is
 * moved back, except birth and death dates and `meta` (the server's own bookkeeping). Partial
 * dates (`2026`, `2026-10`) are left as they are, as an EHR that never had the day would.
 */
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { AgePatientData } from '../contracts';
import { inPatientCompartment } from './compartment';

const FULL_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
const KEEP = new Set(['birthDate', 'deceasedDateTime', 'meta', 'id', 'resourceType']);
const DAY_MS = 86_400_000;

function shift(value: string, days: number): string {
  const dateOnly = value.length === 10;
  const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) return value;
  const moved = new Date(ms - days * DAY_MS).toISOString();
  if (dateOnly) return moved.slice(0, 10);
  // Keep the instant's shape: the sandbox serves UTC, so `Z` (or the original offset, restated as Z).
  return /\.\d+/.test(value) ? moved : moved.replace(/\.\d{3}Z$/, 'Z');
}

function ageValue(value: unknown, days: number): unknown {
  if (typeof value === 'string') return FULL_DATE.test(value) ? shift(value, days) : value;
  if (Array.isArray(value)) return value.map((v) => ageValue(v, days));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, KEEP.has(k) ? v : ageValue(v, days)]));
  }
  return value;
}

function ageResource(resource: Resource, knob: AgePatientData): Resource {
  if (resource.resourceType === 'Patient' || resource.resourceType === 'Group' || !knob.patients.some((id) => inPatientCompartment(resource, id))) return resource;
  return ageValue(resource, knob.days) as Resource;
}

/** The response body with the knob's patients' data aged; anything else is returned as it is. */
export function ageResponseBody(body: unknown, knob: AgePatientData | null): unknown {
  if (!knob || !body || typeof body !== 'object' || !('resourceType' in body)) return body;
  const resource = body as Resource;
  if (resource.resourceType === 'Bundle') {
    const bundle = resource as Bundle;
    if (!bundle.entry) return bundle;
    return { ...bundle, entry: bundle.entry.map((e) => (e.resource ? { ...e, resource: ageResource(e.resource, knob) } : e)) };
  }
  if (resource.resourceType === 'OperationOutcome') return resource;
  return ageResource(resource, knob);
}

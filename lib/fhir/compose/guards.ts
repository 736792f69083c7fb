/**
 * The smallest readers of untrusted JSON (datatypes.ts builds the FHIR datatype readers on them):
 * a module of their own, so code that needs only these (a note's draft) does not load the rest.
 */

/** The value if it is a non-empty string. EHR payloads are checked, never trusted for shape. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The value if it is a finite number. */
export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** The value if it is a plain object (not null, not an array). */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The value if it is an array (without null holes), else an empty array. */
export function arr<T>(v: T[] | undefined | null | unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x !== null && x !== undefined) as T[]) : [];
}

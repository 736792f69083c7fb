import type { CodeableConcept, Coding, HumanName, Quantity } from '@medplum/fhirtypes';

/** Text for a concept: its text, else the first coding's display, else its code. Never throws. */
export function conceptText(c: CodeableConcept | undefined, fallback = 'Unnamed'): string {
  if (!c || typeof c !== 'object') return fallback;
  if (typeof c.text === 'string' && c.text.trim()) return c.text.trim();
  for (const coding of arr<Coding>(c.coding)) {
    if (typeof coding?.display === 'string' && coding.display.trim()) return coding.display.trim();
  }
  for (const coding of arr<Coding>(c.coding)) {
    if (typeof coding?.code === 'string' && coding.code) return coding.code;
  }
  return fallback;
}

export function codeOf(c: CodeableConcept | undefined, system?: string): string | undefined {
  if (!c || typeof c !== 'object') return undefined;
  const coding = arr<Coding>(c.coding).find((x) => (system ? x?.system === system : true) && typeof x?.code === 'string');
  return coding?.code;
}

/** "Given Family" from the official (else first) name. */
export function formatName(names: HumanName[] | undefined): string {
  const list = Array.isArray(names) ? names : [];
  const n = list.find((x) => x?.use === 'official') ?? list[0];
  if (!n) return 'Unnamed patient';
  if (typeof n.text === 'string' && n.text.trim()) return n.text.trim();
  if (typeof n !== 'object') return 'Unnamed patient';
  const parts = [...(Array.isArray(n.given) ? n.given : []), n.family].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length ? parts.join(' ') : 'Unnamed patient';
}

export function formatQuantity(q: Quantity | undefined): string | undefined {
  if (!q || typeof q !== 'object' || typeof q.value !== 'number') return undefined;
  const unit = str(q.unit) ?? str(q.code) ?? '';
  return unit ? `${q.value} ${unit}` : String(q.value);
}

/** Whole years between a FHIR date and `now`; undefined for partial or invalid dates. */
export function ageInYears(birthDate: string | undefined, now: Date): number | undefined {
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const b = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(b.getTime())) return undefined;
  let age = now.getUTCFullYear() - b.getUTCFullYear();
  const m = now.getUTCMonth() - b.getUTCMonth();
  if (m < 0 || (m === 0 && now.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

/** The value if it is a non-empty string. EHR payloads are checked, never trusted for shape. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The value if it is an array (without null holes), else an empty array. */
export function arr<T>(v: T[] | undefined | null | unknown): T[] {
  return Array.isArray(v) ? (v.filter((x) => x !== null && x !== undefined) as T[]) : [];
}

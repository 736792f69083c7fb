import type { CodeableConcept, HumanName, Quantity } from '@medplum/fhirtypes';

/** Text for a concept: its text, else the first coding's display, else its code. Never throws. */
export function conceptText(c: CodeableConcept | undefined, fallback = 'Unnamed'): string {
  if (!c) return fallback;
  if (typeof c.text === 'string' && c.text.trim()) return c.text.trim();
  for (const coding of c.coding ?? []) {
    if (typeof coding?.display === 'string' && coding.display.trim()) return coding.display.trim();
  }
  for (const coding of c.coding ?? []) {
    if (typeof coding?.code === 'string' && coding.code) return coding.code;
  }
  return fallback;
}

export function codeOf(c: CodeableConcept | undefined, system?: string): string | undefined {
  const coding = (c?.coding ?? []).find((x) => (system ? x?.system === system : true) && typeof x?.code === 'string');
  return coding?.code;
}

/** "Given Family" from the official (else first) name. */
export function formatName(names: HumanName[] | undefined): string {
  const list = Array.isArray(names) ? names : [];
  const n = list.find((x) => x?.use === 'official') ?? list[0];
  if (!n) return 'Unnamed patient';
  if (typeof n.text === 'string' && n.text.trim()) return n.text.trim();
  const parts = [...(Array.isArray(n.given) ? n.given : []), n.family].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return parts.length ? parts.join(' ') : 'Unnamed patient';
}

export function formatQuantity(q: Quantity | undefined): string | undefined {
  if (!q || typeof q.value !== 'number') return undefined;
  const unit = q.unit ?? q.code ?? '';
  return unit ? `${q.value} ${unit}` : String(q.value);
}

/** Whole years between a FHIR date and `now`; undefined for partial or invalid dates. */
export function ageInYears(birthDate: string | undefined, now: Date): number | undefined {
  if (!birthDate || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  const b = new Date(`${birthDate}T00:00:00Z`);
  if (Number.isNaN(b.getTime())) return undefined;
  let age = now.getUTCFullYear() - b.getUTCFullYear();
  const m = now.getUTCMonth() - b.getUTCMonth();
  if (m < 0 || (m === 0 && now.getUTCDate() < b.getUTCDate())) age--;
  return age;
}

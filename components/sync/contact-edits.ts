import type { Address, Patient } from '@medplum/fhirtypes';
import type { MutationArgs } from '@/lib/sync';
import { entryRef, type EntryRef } from '@/lib/sync/list-keys';

/** The phone and email the contact form shows. */
export const PHONE = { system: 'phone', use: 'mobile' } as const;
export const EMAIL = { system: 'email', use: 'home' } as const;

/** What the form shows and a person may type. */
export interface ContactValues {
  phone: string;
  email: string;
  line: string;
  city: string;
  postalCode: string;
}

/** One change to queue, with the entry it names in the copy the form showed. */
export type ContactEdit = { name: 'editTelecom'; args: MutationArgs<'editTelecom'> } | { name: 'editAddress'; args: MutationArgs<'editAddress'> };

function telecomIndex(p: Patient, key: { system: string; use: string }): number {
  return (p.telecom ?? []).findIndex((t) => t.system === key.system && t.use === key.use);
}

/** The home address the form shows: the first with use `home`. */
function homeIndex(p: Patient): number {
  return (p.address ?? []).findIndex((a) => a.use === 'home');
}

/** The values the form starts with. */
export function contactValues(p: Patient): ContactValues {
  const value = (key: { system: string; use: string }) => p.telecom?.[telecomIndex(p, key)]?.value ?? '';
  const a = p.address?.[homeIndex(p)];
  return { phone: value(PHONE), email: value(EMAIL), line: a?.line?.join(', ') ?? '', city: a?.city ?? '', postalCode: a?.postalCode ?? '' };
}

/**
 * Fields of the old address that still hold when a person retypes street, city and postal code:
 * what the form does not show and a move rarely changes. The narrative `text` and the `period`
 * describe the old residence and are never carried over, nor is anything the form shows.
 */
const CARRIED: readonly (keyof Address)[] = ['type', 'district', 'state', 'country', 'extension'];

/**
 * The changes a submitted form makes to `base`, each naming the one entry the person saw (by its
 * index in `base` and its content), so another entry with the same use or system is never
 * touched. Empty when nothing changed.
 */
export function contactEdits(base: Patient, typed: ContactValues): ContactEdit[] {
  const shown = contactValues(base);
  const edits: ContactEdit[] = [];
  for (const [key, field] of [[PHONE, 'phone'], [EMAIL, 'email']] as const) {
    if (typed[field] === shown[field]) continue;
    const at = telecomIndex(base, key);
    const entry: EntryRef | undefined = at >= 0 ? entryRef(base.telecom ?? [], at) : undefined;
    edits.push({ name: 'editTelecom', args: { ...key, value: typed[field] || null, ...(entry ? { entry } : {}) } });
  }
  if (typed.line !== shown.line || typed.city !== shown.city || typed.postalCode !== shown.postalCode) {
    const at = homeIndex(base);
    const old = base.address?.[at];
    const kept = Object.fromEntries(CARRIED.filter((k) => old?.[k] !== undefined).map((k) => [k, old![k]])) as Partial<Address>;
    const address = { ...kept, ...(typed.line ? { line: typed.line.split(/\s*,\s*/) } : {}), ...(typed.city ? { city: typed.city } : {}), ...(typed.postalCode ? { postalCode: typed.postalCode } : {}) };
    const empty = !typed.line && !typed.city && !typed.postalCode;
    edits.push({ name: 'editAddress', args: { use: 'home', address: empty ? null : address, ...(old ? { entry: entryRef(base.address ?? [], at) } : {}) } });
  }
  return edits;
}

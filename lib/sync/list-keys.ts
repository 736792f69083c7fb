/**
 * What makes two list entries "the same entry" in a demographic list: meaning, never array
 * position (android-fhir issues 1096 and 2342 are what index matching does: an entry added at
 * the top shifts every other one, and a three-way merge then overwrites the wrong phone number).
 *
 * telecom by system+use, address by use, name by use, communication by language code. When one
 * list holds several entries with the same meaning (two home phones), the second is `key#2`:
 * matched by meaning first and by order only among equals.
 */
import type { Address, ContactPoint, HumanName, PatientCommunication } from '@medplum/fhirtypes';
import { canonicalJson } from './content-hash';

type KeyFn = (entry: unknown) => string;

/** Meaning keys of demographic list entries (DESIGN §1 Sync: telecom by system+use, address by use). */
export const LIST_KEYS: Readonly<Record<string, KeyFn>> = {
  telecom: (e) => `${(e as ContactPoint).system ?? ''}|${(e as ContactPoint).use ?? ''}`,
  address: (e) => (e as Address).use ?? '',
  name: (e) => (e as HumanName).use ?? '',
  communication: (e) => {
    const language = (e as PatientCommunication).language;
    return language?.coding?.[0]?.code ?? language?.text ?? '';
  },
};

/** The demographic lists of Patient that are merged entry by entry. */
export const DEMOGRAPHIC_LISTS = ['telecom', 'address', 'name', 'communication'] as const;

/** Entries of a list keyed by meaning, in list order; duplicates get `#2`, `#3`. */
export function keyedEntries(list: readonly unknown[] | undefined, keyFn: KeyFn): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const seen = new Map<string, number>();
  for (const entry of list ?? []) {
    const base = keyFn(entry);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.set(n === 1 ? base : `${base}#${n}`, entry);
  }
  return out;
}

/**
 * Which entry of a list a person edited: its index in the copy they saw, and a fingerprint of
 * its content. Meaning keys (above) tell a merge which entries correspond; an edit needs more,
 * since two home addresses share a key and only one of them was edited.
 */
export interface EntryRef {
  index: number;
  fingerprint: string;
}

/** A list entry's content fingerprint: canonical JSON (key order does not matter). */
export function entryFingerprint(entry: unknown): string {
  return canonicalJson(entry);
}

/** The reference to entry `index` of `list`, for a mutation to find it again. */
export function entryRef(list: readonly unknown[], index: number): EntryRef {
  return { index, fingerprint: entryFingerprint(list[index]) };
}

/** A mutation named an entry that is not in the copy it was given: the copy changed under the form. */
export class EntryNotFoundError extends Error {
  readonly code = 'entry-not-found';
  constructor(readonly field: string) {
    super(`entry-not-found: the ${field} entry being edited is not in this copy`);
    this.name = 'EntryNotFoundError';
  }
}

/**
 * Index of the entry `ref` names: at its index if the content there still matches, else the
 * one entry anywhere with that content. Several or none: EntryNotFoundError, never a guess.
 */
export function locateEntry(list: readonly unknown[], ref: EntryRef, field: string): number {
  if (ref.index >= 0 && ref.index < list.length && entryFingerprint(list[ref.index]) === ref.fingerprint) return ref.index;
  const hits = list.flatMap((e, i) => (entryFingerprint(e) === ref.fingerprint ? [i] : []));
  if (hits.length === 1) return hits[0]!;
  throw new EntryNotFoundError(field);
}

/**
 * Which fields differ between my copy and the server's, for the review screen (DESIGN §1 Sync:
 * "a review screen shows exactly which fields differ"). Walks both copies down to the smallest
 * differing element and reports its path with the base, mine and theirs values. Demographic
 * lists are matched by meaning (`telecom[phone|home].value`); other arrays by position, which
 * is fine for showing a difference, though never for merging one. `meta` and the generated
 * narrative (`text`) are bookkeeping and are skipped.
 */
import { canonicalJson } from './content-hash';
import { LIST_KEYS, keyedEntries } from './list-keys';

/** One differing element for the review screen. */
export interface FieldDiff {
  /** e.g. `telecom[phone|home].value`, `note[1].text`, `status`. */
  path: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

const SKIP_AT_ROOT = new Set(['meta', 'text']);

/** Structural equality, insensitive to object key order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return a === b || canonicalJson(a) === canonicalJson(b);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(path: string, field: string | undefined, base: unknown, mine: unknown, theirs: unknown, out: FieldDiff[]): void {
  if (deepEqual(mine, theirs)) return;
  if (isObject(mine) && isObject(theirs)) {
    const b = isObject(base) ? base : undefined;
    for (const key of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
      if (path === '' && SKIP_AT_ROOT.has(key)) continue;
      walk(path ? `${path}.${key}` : key, key, b?.[key], mine[key], theirs[key], out);
    }
    return;
  }
  if (Array.isArray(mine) && Array.isArray(theirs)) {
    const keyFn = field !== undefined ? LIST_KEYS[field] : undefined;
    const b = Array.isArray(base) ? base : [];
    if (keyFn) {
      const [bm, mm, tm] = [keyedEntries(b, keyFn), keyedEntries(mine, keyFn), keyedEntries(theirs, keyFn)];
      for (const key of new Set([...mm.keys(), ...tm.keys()])) walk(`${path}[${key}]`, undefined, bm.get(key), mm.get(key), tm.get(key), out);
      return;
    }
    const n = Math.max(mine.length, theirs.length);
    for (let i = 0; i < n; i += 1) walk(`${path}[${i}]`, undefined, b[i], mine[i], theirs[i], out);
    return;
  }
  out.push({ path, base, mine, theirs });
}

/**
 * Every element where `mine` and `theirs` differ, with the common ancestor's value. Empty when
 * the two copies have the same content.
 */
export function diffFields(base: unknown, mine: unknown, theirs: unknown): FieldDiff[] {
  const out: FieldDiff[] = [];
  walk('', undefined, base, mine, theirs, out);
  return out;
}

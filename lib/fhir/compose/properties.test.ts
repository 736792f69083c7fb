import fc from 'fast-check';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { toCarePlanList, toDocumentList, toEncounterTimeline, toImmunizationList, toProcedureList, toTaskList } from './clinical-lists';
import type { ListItemView } from './items';
import { toMedicationList } from './medications';
import { toNeedsAttention } from './needs-attention';
import { toResultSeries } from './observations';
import { toAllergyList, toPatientHeader, toProblemList } from './summary';
import { bundleOf, ctx } from './testing';

/**
 * Normalisation never throws and never silently drops an entry, whatever the EHR sends:
 * (1) JSON of any shape under the right resourceType, (2) well-formed FHIR with vendor
 * variation: no meta, long opaque ids, any value[x], codings with text only, unknown codes,
 * every status including entered-in-error.
 */

const anyValue = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('text', 'coding', 'code', 'display', 'system', 'value', 'unit', 'reference', 'given', 'family', 'use', 'start', 'end', 'low', 'high', 'data', 'attachment', 'period', 'versionId', 'lastUpdated'), tie('value'), { maxKeys: 4 })),
})).value;
const fieldNames = ['id', 'meta', 'code', 'status', 'docStatus', 'clinicalStatus', 'verificationStatus', 'criticality', 'reaction', 'subject', 'patient', 'name', 'gender', 'birthDate', 'identifier', 'valueQuantity', 'valueString', 'valueCodeableConcept', 'valueRange', 'valueRatio', 'valuePeriod', 'component', 'interpretation', 'referenceRange', 'category', 'effectiveDateTime', 'effectivePeriod', 'issued', 'medicationCodeableConcept', 'medicationReference', 'contained', 'dosageInstruction', 'dosage', 'informationSource', 'onsetDateTime', 'recordedDate', 'type', 'class', 'period', 'participant', 'reasonCode', 'description', 'content', 'date', 'author', 'context', 'title', 'restriction', 'priority', 'authoredOn', 'vaccineCode', 'occurrenceDateTime', 'performedDateTime', 'performer', 'intent'];
const shapeless = (type: string) => fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 10 }).map((r) => ({ ...r, resourceType: type }) as unknown as Resource);

// Well-formed FHIR with the variation real EHRs show.
const opaqueId = fc.oneof(fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/), fc.constant('e' + 'Xq3.'.repeat(15)));
const meta = fc.option(fc.record({ versionId: fc.option(fc.stringMatching(/^[0-9a-f-]{1,36}$/), { nil: undefined }), lastUpdated: fc.option(fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2030-01-01') }).map((d) => d.toISOString()), { nil: undefined }) }, { requiredKeys: [] }), { nil: undefined });
const coding = fc.record({ system: fc.constantFrom('http://loinc.org', 'http://snomed.info/sct', 'urn:oid:1.2.3', undefined), code: fc.option(fc.stringMatching(/^[A-Za-z0-9-]{1,8}$/), { nil: undefined }), display: fc.option(fc.string(), { nil: undefined }) }, { requiredKeys: [] });
const concept = fc.record({ text: fc.option(fc.string(), { nil: undefined }), coding: fc.option(fc.array(coding, { maxLength: 2 }), { nil: undefined }) }, { requiredKeys: [] });
const quantity = fc.record({ value: fc.double({ noNaN: true, noDefaultInfinity: true }), unit: fc.option(fc.string(), { nil: undefined }), comparator: fc.option(fc.constantFrom('<', '<=', '>', '>='), { nil: undefined }) }, { requiredKeys: ['value'] });
const dateTime = fc.date({ noInvalidDate: true, min: new Date('1990-01-01'), max: new Date('2030-01-01') }).map((d) => d.toISOString());
const valueX = fc.oneof(
  quantity.map((valueQuantity) => ({ valueQuantity })),
  concept.map((valueCodeableConcept) => ({ valueCodeableConcept })),
  fc.string().map((valueString) => ({ valueString })),
  fc.boolean().map((valueBoolean) => ({ valueBoolean })),
  fc.integer().map((valueInteger) => ({ valueInteger })),
  fc.record({ low: quantity, high: quantity }, { requiredKeys: [] }).map((valueRange) => ({ valueRange })),
  fc.record({ numerator: quantity, denominator: quantity }, { requiredKeys: [] }).map((valueRatio) => ({ valueRatio })),
  fc.record({ start: dateTime, end: dateTime }, { requiredKeys: [] }).map((valuePeriod) => ({ valuePeriod })),
  fc.constant({ valueSampledData: { origin: { value: 0 }, period: 10, dimensions: 1, data: '1 2 E' } }),
  fc.constant({ valueTime: '10:00:00' }),
  concept.map((dataAbsentReason) => ({ dataAbsentReason })),
  fc.constant({}),
);
const status = (values: string[]) => fc.option(fc.constantFrom(...values, 'entered-in-error', 'something-new'), { nil: undefined });
const observation = fc.record({
  resourceType: fc.constant('Observation'), id: fc.option(opaqueId, { nil: undefined }), meta, status: status(['final', 'amended', 'preliminary', 'cancelled', 'unknown']),
  code: concept, category: fc.option(fc.array(concept, { maxLength: 2 }), { nil: undefined }), effectiveDateTime: fc.option(dateTime, { nil: undefined }),
  interpretation: fc.option(fc.array(concept, { maxLength: 1 }), { nil: undefined }),
  referenceRange: fc.option(fc.array(fc.record({ low: quantity, high: quantity, text: fc.string() }, { requiredKeys: [] }), { maxLength: 1 }), { nil: undefined }),
  component: fc.option(fc.array(fc.tuple(concept, valueX).map(([code, v]) => ({ code, ...v })), { maxLength: 3 }), { nil: undefined }),
}, { requiredKeys: ['resourceType', 'code'] }).chain((o) => valueX.map((v) => ({ ...o, ...v }) as unknown as Resource));
const simple = (type: string, codeField: string, statuses: string[]) =>
  fc.record({ resourceType: fc.constant(type), id: fc.option(opaqueId, { nil: undefined }), meta, status: status(statuses), [codeField]: concept, date: fc.option(dateTime, { nil: undefined }) }, { requiredKeys: ['resourceType'] }).map((r) => r as unknown as Resource);

type Builder = (bundle: Bundle | undefined, c: typeof ctx, opts?: { includeInactive?: boolean }) => ListItemView[];
const LISTS: [string, Builder, fc.Arbitrary<Resource>][] = [
  ['AllergyIntolerance', toAllergyList, simple('AllergyIntolerance', 'code', [])],
  ['Condition', toProblemList, simple('Condition', 'code', [])],
  ['MedicationRequest', toMedicationList, simple('MedicationRequest', 'medicationCodeableConcept', ['active', 'on-hold', 'stopped', 'completed'])],
  ['MedicationStatement', toMedicationList, simple('MedicationStatement', 'medicationCodeableConcept', ['active', 'completed', 'not-taken'])],
  ['Encounter', toEncounterTimeline, simple('Encounter', 'serviceType', ['finished', 'cancelled', 'in-progress'])],
  ['DocumentReference', toDocumentList, simple('DocumentReference', 'type', ['current', 'superseded'])],
  ['CarePlan', toCarePlanList, simple('CarePlan', 'category', ['active', 'completed', 'revoked'])],
  ['Task', toTaskList, simple('Task', 'code', ['requested', 'completed', 'cancelled'])],
  ['Immunization', toImmunizationList, simple('Immunization', 'vaccineCode', ['completed', 'not-done'])],
  ['Procedure', toProcedureList, simple('Procedure', 'code', ['completed', 'not-done'])],
];

function checkList(type: string, build: Builder, resources: Resource[]): void {
  const bundle = bundleOf(resources);
  const all = build(bundle, ctx, { includeInactive: true });
  const summary = build(bundle, ctx);
  expect(all).toHaveLength(resources.length); // nothing dropped silently
  expect(new Set(all.map((i) => i.key)).size).toBe(all.length);
  for (const i of all) {
    expect(typeof i.title).toBe('string');
    expect(i.title.length).toBeGreaterThan(0);
    expect(['active', 'inactive', 'entered-in-error']).toContain(i.state);
    expect(i.provenance).toMatchObject({ source: ctx.source, resourceType: type, fetchedAt: ctx.fetchedAt });
  }
  expect(summary.every((i) => i.state === 'active')).toBe(true);
  expect(summary).toHaveLength(all.filter((i) => i.state === 'active').length);
}

function checkSeries(resources: Resource[]): void {
  const all = toResultSeries(bundleOf(resources), ctx, { includeInactive: true });
  expect(all.reduce((n, s) => n + s.points.length, 0)).toBe(resources.length);
  for (const s of all) for (const p of s.points) {
    expect(p.numbers).toHaveLength(s.lines.length);
    expect(typeof p.text).toBe('string');
    // A flag worked out from the range always rests on the point's range and a value it shows:
    // a number on the series' scale, a number in another unit, or a limit (">600").
    if (p.flagSource === 'range') {
      expect(p.range).toBeDefined();
      expect(p.numbers.some((n) => n !== undefined) || p.unit !== s.unit || /^[<>]/.test(p.text)).toBe(true);
    }
  }
  const summary = toResultSeries(bundleOf(resources), ctx);
  const view = toNeedsAttention(summary, null);
  expect(view.items.every((i) => i.point.flag !== undefined && i.point.state === 'active')).toBe(true);
  expect(toNeedsAttention(summary, '2000-01-01T00:00:00Z').items.length).toBeLessThanOrEqual(summary.length);
}

describe('normalisation never throws and never drops an entry', () => {
  it.each(LISTS)('%s lists accept JSON of any shape', (type, build) => {
    fc.assert(fc.property(fc.array(shapeless(type), { maxLength: 6 }), (resources) => checkList(type, build, resources)), { numRuns: 200 });
  });
  it.each(LISTS)('%s lists accept FHIR with vendor variation', (type, build, arbitrary) => {
    fc.assert(fc.property(fc.array(arbitrary, { maxLength: 6 }), (resources) => checkList(type, build, resources)), { numRuns: 200 });
  });
  it('result series accept Observations of any shape', () => {
    fc.assert(fc.property(fc.array(shapeless('Observation'), { maxLength: 6 }), checkSeries), { numRuns: 300 });
  });
  it('result series accept Observations with any value[x] and components', () => {
    fc.assert(fc.property(fc.array(observation, { maxLength: 8 }), checkSeries), { numRuns: 300 });
  });
  it('the banner accepts any Patient shape', () => {
    fc.assert(fc.property(shapeless('Patient'), (p) => {
      const h = toPatientHeader(p as never, ctx, new Date());
      expect(h.name.length).toBeGreaterThan(0);
      expect(h.provenance.resourceType).toBe('Patient');
    }), { numRuns: 300 });
  });
  it('a Bundle of any shape gives empty lists, not errors', () => {
    fc.assert(fc.property(anyValue, (b) => {
      expect(toProblemList(b as unknown as Bundle, ctx)).toEqual([]);
      expect(toResultSeries(b as unknown as Bundle, ctx)).toEqual([]);
    }), { numRuns: 300 });
  });
});

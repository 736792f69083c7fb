import type { Bundle, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { toDocumentList, toEncounterTimeline, toProcedureList } from './clinical-lists';
import { latestPoint, toResultSeries } from './observations';
import { nameOfResource, namesInBundles, referenceKey, referenceName, referencesToName } from './people';
import { bundleOf, ctx } from './testing';

const ID64 = 'a'.repeat(32) + '0123456789abcdef0123456789abcdef';

describe('references are never shown as Type/id (issue 13)', () => {
  it.each([
    [{ reference: 'Practitioner/2916ba6b', display: 'Dr. Ann Example' }, undefined, 'Dr. Ann Example'],
    [{ reference: 'Practitioner/2916ba6b' }, new Map([['Practitioner/2916ba6b', 'Dr. Quinn Placebo']]), 'Dr. Quinn Placebo'],
    [{ reference: 'https://ehr.example/fhir/Practitioner/2916ba6b/_history/3' }, new Map([['Practitioner/2916ba6b', 'Dr. Q']]), 'Dr. Q'],
    [{ reference: 'Practitioner/2916ba6b' }, undefined, 'a clinician, name not available'],
    [{ reference: 'Practitioner/2916ba6b' }, new Map([['Practitioner/2916ba6b', null]]), 'a clinician, name not available'],
    [{ reference: 'Organization/o1' }, undefined, 'an organization, name not available'],
    [{ reference: 'Location/l1' }, undefined, 'a location, name not available'],
    [{ reference: 'PractitionerRole/r1' }, undefined, 'a clinician, name not available'],
    [{ reference: 'Device/d1' }, undefined, 'a device, name not available'],
    [{ reference: 'urn:uuid:1234' }, undefined, 'someone, name not available'],
    [{ type: 'Practitioner', identifier: { value: 'X' } }, undefined, 'a clinician, name not available'],
    [{}, undefined, undefined],
    [undefined, undefined, undefined],
  ])('%o → %s', (ref, names, text) => {
    expect(referenceName(ref, names as Map<string, string | null> | undefined)).toBe(text);
  });

  it('keys literal references only, long opaque ids included', () => {
    expect(referenceKey({ reference: `Practitioner/${ID64}` })).toBe(`Practitioner/${ID64}`);
    expect(referenceKey({ reference: '#p1' })).toBeUndefined();
    expect(referenceKey({ reference: 'Practitioner/../x' })).toBeUndefined();
  });

  it('names practitioners, organizations and locations', () => {
    expect(nameOfResource({ resourceType: 'Practitioner', name: [{ prefix: ['Dr.'], given: ['Quinn'], family: 'Placebo' }] })).toBe('Dr. Quinn Placebo');
    expect(nameOfResource({ resourceType: 'Practitioner', name: [{ use: 'old', text: 'Old' }, { use: 'official', text: 'New' }] })).toBe('New');
    expect(nameOfResource({ resourceType: 'Organization', name: 'Clinic' })).toBe('Clinic');
    expect(nameOfResource({ resourceType: 'Location', name: 'Ward 3' })).toBe('Ward 3');
    expect(nameOfResource({ resourceType: 'Practitioner' })).toBeUndefined();
  });

  it('lists the references to read, skipping those with display, those included, contained ones and other types', () => {
    const enc = {
      resourceType: 'Encounter', id: 'e1', status: 'finished', subject: { reference: 'Patient/p1' },
      participant: [{ individual: { reference: 'Practitioner/b' } }, { individual: { reference: 'Practitioner/a', display: 'Dr. A' } }],
      serviceProvider: { reference: 'Organization/o1' }, location: [{ location: { reference: 'Location/l1' } }],
      contained: [{ resourceType: 'Practitioner', id: 'c', managingOrganization: { reference: 'Organization/zz' } }],
    } as unknown as Resource;
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: enc, search: { mode: 'match' } }, { resource: { resourceType: 'Location', id: 'l1', name: 'Ward 3' }, search: { mode: 'include' } }] };
    expect(referencesToName([bundle, undefined])).toEqual(['Organization/o1', 'Practitioner/b']);
    // Only what the launch may read is asked for: a clinician launch with user/Practitioner.rs alone.
    expect(referencesToName([bundle], ['Practitioner'])).toEqual(['Practitioner/b']);
    expect(referencesToName([bundle], [])).toEqual([]);
    expect(namesInBundles([bundle])).toEqual(new Map([['Location/l1', 'Ward 3']]));
  });

  it('encounters, notes, procedures and results name people by the directory, or in words', () => {
    const names = new Map<string, string | null>([['Practitioner/b', 'Dr. B'], ['Organization/o1', null]]);
    const enc = { resourceType: 'Encounter', id: 'e1', status: 'finished', participant: [{ individual: { reference: 'Practitioner/b' } }], serviceProvider: { reference: 'Organization/o1' }, location: [{ location: { reference: 'Location/l1' } }] } as unknown as Resource;
    expect(toEncounterTimeline(bundleOf([enc]), { ...ctx, names })[0]!.detail).toBe('Seen by Dr. B · at a location, name not available · an organization, name not available');
    const unnamed = toEncounterTimeline(bundleOf([enc]), ctx)[0]!.detail!;
    expect(unnamed).toBe('Seen by a clinician, name not available · at a location, name not available · an organization, name not available');
    expect(unnamed).not.toMatch(/Practitioner\/|Organization\/|Location\//);
    const doc = { resourceType: 'DocumentReference', id: 'd1', status: 'current', description: 'Note', type: { text: 'Progress note' }, author: [{ reference: 'Practitioner/b' }], content: [] } as unknown as Resource;
    expect(toDocumentList(bundleOf([doc]), { ...ctx, names })[0]!.detail).toBe('Progress note · Dr. B');
    const proc = { resourceType: 'Procedure', id: 'p1', status: 'completed', code: { text: 'Biopsy' }, performer: [{ actor: { reference: 'Practitioner/x' } }] } as Resource;
    expect(toProcedureList(bundleOf([proc]), ctx)[0]!.detail).toBe('a clinician, name not available');
    const obs = { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'K' }, valueQuantity: { value: 4 }, performer: [{ reference: 'Practitioner/b' }] } as Resource;
    expect(latestPoint(toResultSeries(bundleOf([obs]), { ...ctx, names })[0]!)!.performer).toBe('Dr. B');
  });
});

import { describe, expect, it } from 'vitest';
import { practitionerOfRole, resolveActsFor } from './acts-for';

const BASE = 'https://ehr.example/fhir/R4';
const role = (practitioner: string | undefined) => ({ resourceType: 'PractitionerRole', id: 'r1', ...(practitioner ? { practitioner: { reference: practitioner } } : {}) });

describe('practitionerOfRole', () => {
  it('names the role’s Practitioner, relative or absolute under the same base', () => {
    expect(practitionerOfRole(role('Practitioner/p1'), BASE)).toBe('Practitioner/p1');
    expect(practitionerOfRole(role(`${BASE}/Practitioner/p1`), BASE)).toBe('Practitioner/p1');
  });

  it.each([
    ['no practitioner', role(undefined)],
    ['another server', role('https://other.example/fhir/Practitioner/p1')],
    ['another type', role('Patient/p1')],
    ['a malformed id', role('Practitioner/p 1')],
    ['not a role', { resourceType: 'Practitioner', id: 'p1' }],
    ['an OperationOutcome', { resourceType: 'OperationOutcome', issue: [] }],
  ])('trusts nothing from %s', (_, body) => {
    expect(practitionerOfRole(body, BASE)).toBeUndefined();
  });
});

describe('resolveActsFor', () => {
  const input = { issuerId: 'ehr', fhirBaseUrl: `${BASE}/`, fhirUser: 'PractitionerRole/r1', accessToken: 'at' };
  const answering = (status: number, body: unknown) => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const impl = (async (url: string, init?: RequestInit) => {
      calls.push({ url, init });
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/fhir+json' } });
    }) as unknown as typeof fetch;
    return { impl, calls };
  };

  it('reads the role with the launch’s token and returns its Practitioner', async () => {
    const { impl, calls } = answering(200, role('Practitioner/p1'));
    expect(await resolveActsFor(input, impl)).toBe('Practitioner/p1');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe(`${BASE}/PractitionerRole/r1`);
    expect(new Headers(calls[0]!.init?.headers).get('authorization')).toBe('Bearer at');
  });

  it('reads nothing for a user who is not named by a role', async () => {
    const { impl, calls } = answering(200, role('Practitioner/p1'));
    expect(await resolveActsFor({ ...input, fhirUser: 'Practitioner/p1' }, impl)).toBeNull();
    expect(calls).toHaveLength(0);
  });

  it('is null when the EHR refuses the read, answers with no practitioner, or cannot be reached', async () => {
    expect(await resolveActsFor(input, answering(403, { resourceType: 'OperationOutcome', issue: [] }).impl)).toBeNull();
    expect(await resolveActsFor(input, answering(200, role(undefined)).impl)).toBeNull();
    const failing = (async () => { throw new TypeError('fetch failed'); }) as unknown as typeof fetch;
    expect(await resolveActsFor(input, failing)).toBeNull();
  });
});

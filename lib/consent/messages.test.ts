/**
 * Messages through the proxy pipeline (issue 14): attachments judged by type, content and size,
 * the sender pinned to the launch's user, recipients judged against the patient's consents, and
 * marking read limited to `received`. Each refusal asserts its exact code and that nothing
 * reached the EHR.
 */
import type { Communication, Consent, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { authorizeFhirRequest, parseFhirRequest, ProxyError, type ResourceGrant } from '../fhir';
import { restrictActor } from './build';
import type { ConsentContext } from './enforce';
import { NOW } from './fixtures';
import { runProxyRequest, type EhrAnswer, type EhrCall } from './proxy-pipeline';

const ME = 'Patient/pat-001';
const grants: ResourceGrant[] = [{ context: 'patient', resourceType: '*', permissions: new Set(['c', 'r', 'u', 's']) }];
const PNG = btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0));

function ehrWith(resources: Resource[]) {
  const store = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const writes: { interaction: string; body?: string }[] = [];
  const ok = (body: unknown, status = 200): EhrAnswer => ({ status, body, etag: null, lastModified: null, location: null, retryAfter: null, date: null });
  const ehr: EhrCall = async (req, options = {}) => {
    const key = `${req.resourceType}/${req.id}`;
    if (req.interaction === 'read') return store.has(key) ? ok(store.get(key)) : ok({ resourceType: 'OperationOutcome', issue: [] }, 404);
    writes.push({ interaction: req.interaction, body: options.body });
    return ok({ ...JSON.parse(options.body ?? '{}'), id: req.id ?? 'new-1' }, req.interaction === 'create' ? 201 : 200);
  };
  return { ehr, writes };
}

function message(over: Partial<Communication> = {}): Communication {
  return { resourceType: 'Communication', status: 'completed', subject: { reference: ME }, sender: { reference: ME }, recipient: [{ reference: 'Practitioner/prac-001' }], payload: [{ contentString: 'Hello' }], ...over };
}

async function send(method: string, path: string[], body: Resource, ehr: EhrCall, consents: Consent[] = [], fhirUser: string | null = ME) {
  const request = authorizeFhirRequest(parseFhirRequest(method, path, new URLSearchParams()), { patientId: 'pat-001', grants });
  const ctx: ConsentContext = { patientId: 'pat-001', actor: { reference: fhirUser ?? 'Device/housecall', roles: [], memberOf: [] }, purposeOfUse: 'PATRQT', consents, now: NOW, policy: { noConsent: 'permit' } };
  try {
    await runProxyRequest({ request, patientId: 'pat-001', fhirUser, fhirBase: 'http://ehr.test/fhir', proxyBase: '/api/l/L1/fhir', body: JSON.stringify(body) }, { ehr, loadConsent: async () => ctx }, { consent: null, decidedBy: [], hidden: 0, alerts: 0 });
    return 'sent';
  } catch (e) {
    return e instanceof ProxyError ? e.code : `unexpected ${String(e)}`;
  }
}

describe('sending a message through the proxy', () => {
  it('sends a message with a photo to a practitioner', async () => {
    const { ehr, writes } = ehrWith([]);
    expect(await send('POST', ['Communication'], message({ payload: [{ contentString: 'See photo' }, { contentAttachment: { contentType: 'image/png', data: PNG } }] }), ehr)).toBe('sent');
    expect(writes).toHaveLength(1);
  });

  it.each([
    ['a renamed executable', { contentType: 'image/png', data: btoa('MZ\x90\x00 not a png') }, 'attachment-type-not-allowed'],
    ['a link to content elsewhere', { contentType: 'image/png', url: 'https://elsewhere.test/a.png' }, 'attachment-type-not-allowed'],
    ['an SVG (scripts)', { contentType: 'image/svg+xml', data: btoa('<svg onload="x()"/>') }, 'attachment-type-not-allowed'],
  ])('refuses %s, and nothing reaches the EHR', async (_what, attachment, code) => {
    const { ehr, writes } = ehrWith([]);
    expect(await send('POST', ['Communication'], message({ payload: [{ contentAttachment: attachment }] }), ehr)).toBe(code);
    expect(writes).toEqual([]);
  });

  it('refuses a message in someone else’s name, or to nobody, or to another patient', async () => {
    const { ehr, writes } = ehrWith([]);
    expect(await send('POST', ['Communication'], message({ sender: { reference: 'Practitioner/prac-001' } }), ehr)).toBe('invalid-body');
    expect(await send('POST', ['Communication'], message({ recipient: [] }), ehr)).toBe('invalid-body');
    expect(await send('POST', ['Communication'], message({ recipient: [{ reference: 'RelatedPerson/rp-1' }] }), ehr)).toBe('invalid-body');
    expect(await send('POST', ['Communication'], message({ recipient: [{ reference: 'Patient/pat-002' }] }), ehr)).toBe('outside-compartment');
    expect(await send('POST', ['Communication'], message(), ehr, [], null)).toBe('invalid-body');
    expect(writes).toEqual([]);
  });

  it('refuses a message to a practitioner the patient restricted (recipient-not-allowed), and sends one to another', async () => {
    const restricted = { ...restrictActor({ patientId: 'pat-001', actor: 'Practitioner/prac-002', id: 'c-no-002' }), meta: { versionId: '1' } } as Consent;
    const { ehr, writes } = ehrWith([]);
    expect(await send('POST', ['Communication'], message({ recipient: [{ reference: 'Practitioner/prac-002' }] }), ehr, [restricted])).toBe('recipient-not-allowed');
    expect(writes).toEqual([]);
    expect(await send('POST', ['Communication'], message(), ehr, [restricted])).toBe('sent');
  });
});

describe('marking a message read', () => {
  const fromGp = message({ id: 'm1', meta: { versionId: '2' }, sender: { reference: 'Practitioner/prac-001' }, recipient: [{ reference: ME }] });

  it('lets a recipient set received, sending the stored message with only that changed', async () => {
    const { ehr, writes } = ehrWith([fromGp]);
    expect(await send('PUT', ['Communication', 'm1'], { ...fromGp, received: '2026-11-01T10:00:00Z' }, ehr)).toBe('sent');
    expect(JSON.parse(writes[0]!.body!)).toMatchObject({ received: '2026-11-01T10:00:00Z', payload: [{ contentString: 'Hello' }], sender: { reference: 'Practitioner/prac-001' } });
  });

  it('refuses a change to what was said, and a read receipt by someone it was not sent to', async () => {
    const { ehr, writes } = ehrWith([fromGp, { ...fromGp, id: 'm2', recipient: [{ reference: 'Practitioner/prac-003' }] }]);
    expect(await send('PUT', ['Communication', 'm1'], { ...fromGp, received: '2026-11-01T10:00:00Z', payload: [{ contentString: 'Changed' }] }, ehr)).toBe('invalid-body');
    expect(await send('PUT', ['Communication', 'm2'], { ...fromGp, id: 'm2', recipient: [{ reference: 'Practitioner/prac-003' }], received: '2026-11-01T10:00:00Z' }, ehr)).toBe('consent-denied');
    expect(writes).toEqual([]);
  });
});

describe('allowedRecipients (what the compose form offers)', () => {
  it('leaves out a practitioner the patient restricted, keeps the rest, and follows a default-deny policy', async () => {
    const { allowedRecipients } = await import('./recipients');
    const restricted = { ...restrictActor({ patientId: 'pat-001', actor: 'Practitioner/prac-002', id: 'c-no-002' }), meta: { versionId: '1' } } as Consent;
    const people = ['Practitioner/prac-001', 'Practitioner/prac-002', 'Practitioner/prac-003'];
    expect([...allowedRecipients({ patientId: 'pat-001', consents: [restricted], now: NOW, policy: { noConsent: 'permit' } }, people)]).toEqual(['Practitioner/prac-001', 'Practitioner/prac-003']);
    expect([...allowedRecipients({ patientId: 'pat-001', consents: [], now: NOW, policy: { noConsent: 'deny' } }, people)]).toEqual([]);
  });
});

/**
 * The first screen asked for on the server: through the proxy's own pipeline against the
 * scripted EHR (authenticated by the person's cookie, scopes and consents judged, audited), and
 * what is left to the browser (refusals, failures, answers later than the budget).
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent } from '@medplum/fhirtypes';
import { restrictActor } from '@/lib/consent';
import type { Store } from '@/lib/store';
import type { SmartConfig } from '@/lib/smart/config';
import { newBrowserSession } from '@/lib/smart/session';
import { testConfig, useTestAuthorizationServer } from '@/lib/smart/test-harness';

const h = useTestAuthorizationServer();
const current: { store?: Store; config?: SmartConfig } = {};

vi.mock('@/lib/store', async (original) => ({ ...(await original<typeof import('@/lib/store')>()), getStore: async () => current.store! }));
vi.mock('@/lib/smart', async (original) => ({ ...(await original<typeof import('@/lib/smart')>()), smartConfig: () => current.config! }));

const { firstScreenAnswers, isDocumentLoad } = await import('./first-screen');
const { proxyUrl } = await import('./proxy-path');

beforeAll(() => {
  current.config = testConfig(h.as.fhirBase);
});
beforeEach(() => {
  current.store = h.store;
});

const KEY = { issuerId: 'test', patientId: 'pat-001' };
const PATHS = ['Patient/pat-001', 'Condition?_count=100', 'MedicationStatement?_include=MedicationStatement:medication&_count=100'];
const patient = { resourceType: 'Patient', id: 'pat-001', name: [{ family: 'Example' }] };
const conditions = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Condition', id: 'c-1', subject: { reference: 'Patient/pat-001' } } }] };

async function launchWith(scope: string, fhirUser = 'Patient/pat-001') {
  const session = await newBrowserSession();
  const launch = await h.store.launches.createLaunch({
    id: `first-${Math.random().toString(36).slice(2)}-abcdefgh`, browserSessionId: session.sid, issuerId: 'test', workflow: fhirUser.startsWith('Patient/') ? 'patient' : 'clinician', patientId: 'pat-001',
    encounterId: null, fhirUser, scope, needPatientBanner: true, smartStyleUrl: null, accessExpiresAt: Date.now() + 600_000,
    tokens: { accessToken: 'AT-0', refreshToken: 'RT-0', tokenType: 'bearer' },
  });
  return { launch, cookie: session.setCookie.split(';')[0]! };
}

const fhirRequests = () => h.as.requests.filter((r) => r.path.startsWith('/fhir/') && !r.path.includes('.well-known'));
const auditsOf = async (launchId: string) => (await h.store.audit.listForPatient(KEY)).filter((r) => r.launch_id === launchId).map((r) => JSON.parse(r.body) as AuditEvent);

function ehrAnswers() {
  h.as.onFhir((req) => {
    if (req.path === '/fhir/Patient/pat-001') return { body: patient };
    if (req.path === '/fhir/Condition') return { body: conditions };
    return { status: 404, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found' }] } };
  });
}

describe('the first screen through the proxy pipeline', () => {
  it('keeps each granted answer under its proxy URL, leaves a refused one to the browser, and audits every request', async () => {
    ehrAnswers();
    const { launch, cookie } = await launchWith('openid launch/patient patient/Patient.rs patient/Condition.rs');
    const answers = await firstScreenAnswers(launch.id, PATHS, cookie);

    expect(Object.keys(answers).sort()).toEqual([proxyUrl(launch.id, 'Condition?_count=100'), proxyUrl(launch.id, 'Patient/pat-001')].sort());
    expect(answers[proxyUrl(launch.id, 'Patient/pat-001')]!.body).toMatchObject({ resourceType: 'Patient', id: 'pat-001' });
    expect(JSON.stringify(answers[proxyUrl(launch.id, 'Condition?_count=100')]!.body)).toContain('c-1');
    expect(Date.parse(answers[proxyUrl(launch.id, 'Patient/pat-001')]!.fetchedAt)).not.toBeNaN();
    // MedicationStatement was not granted: refused before it left, so only two reached the EHR.
    expect(fhirRequests().map((r) => r.path).sort()).toEqual(['/fhir/Condition', '/fhir/Patient/pat-001']);
    // Every request, the refused one too, has its AuditEvent, each with its own request id.
    const audits = await auditsOf(launch.id);
    expect(audits).toHaveLength(3);
    expect(audits.map((e) => e.outcome).sort()).toEqual(['0', '0', '4']);
  });

  it('asks nothing without the browser’s cookie, and gets nothing with another browser’s', async () => {
    ehrAnswers();
    const { launch } = await launchWith('openid launch/patient patient/Patient.rs patient/Condition.rs');
    expect(await firstScreenAnswers(launch.id, PATHS, null)).toEqual({});
    const stranger = await newBrowserSession();
    expect(await firstScreenAnswers(launch.id, PATHS, stranger.setCookie.split(';')[0]!)).toEqual({});
    expect(fhirRequests()).toHaveLength(0);
  });

  it('judges each request on the consents as they are: the patient’s restriction of this clinician withholds what the page gets', async () => {
    ehrAnswers();
    const { launch, cookie } = await launchWith('openid launch patient/Patient.rs patient/Condition.rs', 'Practitioner/prac-001');
    expect(JSON.stringify(await firstScreenAnswers(launch.id, ['Condition?_count=100'], cookie))).toContain('c-1');
    await h.store.consents.save({ ...restrictActor({ patientId: 'pat-001', id: 'restrict-me', dateTime: new Date().toISOString(), actor: 'Practitioner/prac-001' }), id: 'restrict-me' }, KEY);
    const answers = await firstScreenAnswers(launch.id, ['Condition?_count=100'], cookie);
    expect(JSON.stringify(answers)).not.toContain('c-1');
  });

  it('leaves to the browser an answer not in within the budget, and one whose pipeline throws', async () => {
    const { launch, cookie } = await launchWith('openid launch/patient patient/Patient.rs patient/Condition.rs');
    const seen: { path: string[]; cookie: string | null }[] = [];
    const answers = await firstScreenAnswers(launch.id, ['Patient/pat-001', 'Condition?_count=100', 'AllergyIntolerance?_count=100'], cookie, {
      budgetMs: 20,
      now: () => Date.parse('2026-11-01T10:00:00Z'),
      proxy: async (request, target) => {
        seen.push({ path: target.path, cookie: request.headers.get('cookie') });
        if (target.path[0] === 'Condition') return new Promise<Response>(() => undefined);
        if (target.path[0] === 'AllergyIntolerance') throw new Error('boom');
        return Response.json(patient, { status: 200 });
      },
    });
    expect(answers).toEqual({ [proxyUrl(launch.id, 'Patient/pat-001')]: { body: patient, fetchedAt: '2026-11-01T10:00:00.000Z' } });
    expect(seen.map((s) => s.path)).toEqual([['Patient', 'pat-001'], ['Condition'], ['AllergyIntolerance']]);
    expect(seen.every((s) => s.cookie === cookie)).toBe(true);
  });
});

describe('which page requests get the first screen', () => {
  it('a document load (navigate, or a browser that does not say) does; a client-side navigation (cors) or anything else does not', () => {
    expect(isDocumentLoad('navigate')).toBe(true);
    expect(isDocumentLoad(null)).toBe(true);
    expect(isDocumentLoad('cors')).toBe(false);
    expect(isDocumentLoad('no-cors')).toBe(false);
    expect(isDocumentLoad('same-origin')).toBe(false);
  });
});

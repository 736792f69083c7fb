import { beforeEach, describe, expect, it, vi } from 'vitest';
import { StoreKey, openSqliteStore } from '../store';

const cookieHeader = vi.hoisted(() => ({ value: null as string | null }));
vi.mock('next/headers', () => ({ headers: async () => new Headers(cookieHeader.value ? { cookie: cookieHeader.value } : {}) }));
vi.mock('next/navigation', () => ({
  redirect: (url: string) => { throw Object.assign(new Error('NEXT_REDIRECT'), { url }); },
  forbidden: () => { throw new Error('NEXT_HTTP_ERROR_FALLBACK;403'); },
}));

const { auditStaffAction, requireStaffApi, requireStaffPage, safeStaffReturnPath } = await import('./guard');
const { sealStaffSession, STAFF_SESSION_COOKIE, readStaffSession } = await import('./session');

const support = { staffId: 'staff-support-1', name: 'Robin Okafor', roles: ['support' as const] };
const auditor = { staffId: 'staff-auditor-1', name: 'Sam Achterberg', roles: ['auditor' as const] };

async function cookieFor(session: typeof support | typeof auditor, secret?: string, maxAge?: number): Promise<string> {
  return `${STAFF_SESSION_COOKIE}=${await sealStaffSession(session, secret, maxAge)}`;
}
function request(cookie: string | null): Request {
  return new Request('http://localhost/staff/api/launches', { headers: cookie ? { cookie } : {} });
}
async function outcome(res: Response): Promise<{ status: number; code: string | undefined }> {
  const body = (await res.json()) as { resourceType: string; issue: { details: { coding: { code: string }[] } }[] };
  expect(body.resourceType).toBe('OperationOutcome');
  return { status: res.status, code: body.issue[0]?.details.coding[0]?.code };
}

describe('requireStaffApi', () => {
  it('answers 401 staff-signed-out without a cookie, with a forged one, and with an expired one', async () => {
    expect(await outcome((await requireStaffApi(request(null), ['support'])) as Response)).toEqual({ status: 401, code: 'staff-signed-out' });
    const forged = await cookieFor(support, 'another-secret-of-at-least-32-chars!!');
    expect(await outcome((await requireStaffApi(request(forged), ['support'])) as Response)).toEqual({ status: 401, code: 'staff-signed-out' });
    const expired = await cookieFor(support, undefined, -60);
    expect(await outcome((await requireStaffApi(request(expired), ['support'])) as Response)).toEqual({ status: 401, code: 'staff-signed-out' });
  });

  it('answers 403 staff-role-missing when the role is not held, and the session when it is', async () => {
    const res = await requireStaffApi(request(await cookieFor(support)), ['auditor']);
    expect(await outcome(res as Response)).toEqual({ status: 403, code: 'staff-role-missing' });
    const ok = await requireStaffApi(request(await cookieFor(support)), ['auditor', 'support']);
    expect(ok).toEqual(support);
  });

  it('does not accept the patient-facing session cookie or a staff token under another cookie name', async () => {
    const sealed = await sealStaffSession(support);
    expect(await outcome((await requireStaffApi(request(`__Host-hc_session=${sealed}`), ['support'])) as Response)).toEqual({ status: 401, code: 'staff-signed-out' });
  });
});

describe('requireStaffPage', () => {
  beforeEach(() => { cookieHeader.value = null; });

  it('redirects a signed-out visitor to sign-in, keeping only a console path to return to', async () => {
    await expect(requireStaffPage(['support'], '/staff/support/launch/abc')).rejects.toMatchObject({ url: '/staff/signin?next=%2Fstaff%2Fsupport%2Flaunch%2Fabc' });
    await expect(requireStaffPage(['support'], 'https://evil.example/staff')).rejects.toMatchObject({ url: '/staff/signin?next=%2Fstaff' });
  });

  it('renders the 403 page for a missing role and returns the session otherwise', async () => {
    cookieHeader.value = await cookieFor(support);
    await expect(requireStaffPage(['auditor'])).rejects.toThrow('403');
    cookieHeader.value = await cookieFor(auditor);
    await expect(requireStaffPage(['auditor'])).resolves.toEqual(auditor);
  });
});

describe('staff sessions', () => {
  it('keeps only known roles from the claim and a Practitioner fhirUser', async () => {
    const { encode } = await import('@auth/core/jwt');
    const { staffSessionSecret } = await import('./session');
    const token = await encode({ token: { sub: 'x', name: 'X', roles: 'support billing-admin auditor', fhirUser: 'http://ehr/fhir/Practitioner/prac-001' }, secret: staffSessionSecret(), salt: STAFF_SESSION_COOKIE });
    expect(await readStaffSession(`${STAFF_SESSION_COOKIE}=${token}`)).toEqual({ staffId: 'x', name: 'X', roles: ['support', 'auditor'], fhirUser: 'Practitioner/prac-001' });
    const patient = await encode({ token: { sub: 'y', roles: [], fhirUser: 'Patient/pat-001' }, secret: staffSessionSecret(), salt: STAFF_SESSION_COOKIE });
    expect(await readStaffSession(`${STAFF_SESSION_COOKIE}=${patient}`)).toEqual({ staffId: 'y', name: 'y', roles: [] });
  });

  it('refuses return paths outside the console', () => {
    expect(safeStaffReturnPath('//evil.example')).toBe('/staff');
    expect(safeStaffReturnPath('/l/abc/chart')).toBe('/staff');
    expect(safeStaffReturnPath('/staff/signin')).toBe('/staff');
    expect(safeStaffReturnPath('/staff/support?q=ab12')).toBe('/staff/support?q=ab12');
  });
});

describe('auditStaffAction', () => {
  it('writes a chained staff event naming the staff member, their role, the launch and the reason', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral());
    await auditStaffAction(support, { action: 'staff-end-launch', outcomeCode: 'support-ended', launch: { id: 'L'.repeat(20), issuerId: 'sandbox', patientId: 'pat-001' }, reason: 'device lost' }, store.audit);
    const [row] = await store.audit.listRecent(1);
    expect(row).toMatchObject({ category: 'staff', issuer_id: 'sandbox', patient_id: 'pat-001', launch_id: 'L'.repeat(20), outcome: 'success' });
    const event = JSON.parse(row!.body) as { subtype: { code: string }[]; outcomeDesc: string; agent: { who: { identifier?: { system: string; value: string }; display?: string }; role?: { coding: { code: string }[] }[] }[]; extension: { valueString: string }[] };
    expect(event.subtype[0]!.code).toBe('staff-end-launch');
    expect(event.outcomeDesc).toBe('support-ended');
    expect(event.agent[0]!.who).toEqual({ identifier: { system: 'urn:housecall:staff', value: 'staff-support-1' }, display: 'Robin Okafor' });
    expect(event.agent[0]!.role?.[0]?.coding[0]?.code).toBe('support');
    expect(event.extension[0]!.valueString).toBe('device lost');
    expect(await store.audit.verify()).toEqual({ ok: true, count: 1, chains: 1, anchors: 0 });
    await store.close();
  });
});

import type { Binary, Bundle } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitPlan } from '../../fixtures';
import type { TestServer } from './testing';
import { startTestServer } from './testing';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const own = visitPlan('pat-001');
const other = visitPlan('pat-002');

describe('Binary under a patient token: judged by its securityContext', () => {
  it('reads the Binary of its own DocumentReference', async () => {
    const res = await t.request<Binary>(`/Binary/${own.pdf.binaryId}`, { token: 'patient' });
    expect(res.status).toBe(200);
    expect(res.body.contentType).toBe('application/pdf');
    expect(atob(res.body.data ?? '').startsWith('%PDF-')).toBe(true);
  });

  it("answers 404 for another patient's Binary, which a clinician can read", async () => {
    expect((await t.request(`/Binary/${other.pdf.binaryId}`, { token: 'clinician' })).status).toBe(200);
    expect((await t.request(`/Binary/${other.pdf.binaryId}`, { token: 'patient' })).status).toBe(404);
  });

  it('answers 404 for a Binary without a securityContext, and never lets a patient search Binaries', async () => {
    const created = await t.request<Binary>('/Binary', { token: 'clinician', method: 'POST', body: { resourceType: 'Binary', contentType: 'text/plain', data: btoa('loose') } });
    expect(created.status).toBe(201);
    expect((await t.request(`/Binary/${created.body.id}`, { token: 'patient' })).status).toBe(404);
    expect((await t.request<Bundle>('/Binary', { token: 'patient' })).status).toBe(403);
  });

  it('answers 404 for a DocumentReference whose Binary was never loaded', async () => {
    expect((await t.request(`/Binary/${own.missing.binaryId}`, { token: 'patient' })).status).toBe(404);
  });
});

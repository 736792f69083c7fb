/**
 * The EHR inbox's routes: who is signed in comes from the EHR session only, a reply from another
 * site or without a session is refused and files nothing, and a refused reply shows why.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Communication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed } from '../../fixtures/index';
import { createAccounts } from '../auth/accounts';
import { createEhrSessions } from '../auth/ehr-session';
import type { EhrInbox } from '../contracts';
import { FhirError } from '../fhir/outcome';
import { inboxRoute } from './inbox-routes';

const message: Communication = { resourceType: 'Communication', id: 'm1', status: 'completed', subject: { reference: 'Patient/pat-001' }, sender: { reference: 'Patient/pat-001' }, recipient: [{ reference: 'Practitioner/prac-001' }], topic: { text: 'Dose question' }, payload: [{ contentString: 'Hello <b>doctor</b>' }] };
const replies: { who: string; id: string; text: string }[] = [];
const inbox: EhrInbox = {
  list: async (who) => (who === 'prac-001' ? [message] : []),
  open: async (who, id) => (who === 'prac-001' && id === 'm1' ? { message, thread: [message] } : undefined),
  reply: async (who, id, text) => {
    if (!text.trim()) throw FhirError.of(422, 'required', 'Write a reply before sending');
    replies.push({ who, id, text });
    return { ...message, id: 'r1' };
  },
};

let server: Server;
let origin: string;
const sessions = createEhrSessions();
const cookie = sessions.signIn('prac-001').split(';')[0]!;

beforeAll(async () => {
  const accounts = createAccounts(buildSeed());
  server = createServer((req, res) => void inboxRoute({ origin, accounts, ehrSessions: sessions, fhir: { handle: async () => undefined, inbox } }, new URL(req.url ?? '/', origin), req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (path: string, body: string, headers: Record<string, string>) => fetch(`${origin}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });

describe('inbox routes', () => {
  it('without an EHR session offers sign-in and shows no message', async () => {
    const res = await fetch(`${origin}/ehr/inbox`);
    expect(await res.text()).toContain('data-testid="inbox-sign-in"');
  });

  it('lists and shows messages for the signed-in clinician, escaped', async () => {
    const list = await (await fetch(`${origin}/ehr/inbox`, { headers: { cookie } })).text();
    expect(list).toContain('Dose question');
    expect(list).toContain('data-unread="yes"');
    const one = await (await fetch(`${origin}/ehr/inbox/m1`, { headers: { cookie } })).text();
    expect(one).toContain('Hello &lt;b&gt;doctor&lt;/b&gt;');
    expect((await fetch(`${origin}/ehr/inbox/other`, { headers: { cookie } })).status).toBe(404);
  });

  it('files a reply from the EHR page and goes back to the message', async () => {
    const res = await post('/ehr/inbox/m1/reply', 'text=Take+it+with+food', { cookie, origin });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/ehr/inbox/m1?sent=1');
    expect(replies).toContainEqual({ who: 'prac-001', id: 'm1', text: 'Take it with food' });
  });

  it('refuses a reply from another site or without a session, and says why an empty one was not sent', async () => {
    const before = replies.length;
    expect((await post('/ehr/inbox/m1/reply', 'text=x', { cookie, origin: 'https://evil.test' })).status).toBe(403);
    expect((await post('/ehr/inbox/m1/reply', 'text=x', { origin })).status).toBe(401);
    const empty = await post('/ehr/inbox/m1/reply', 'text=+', { cookie, origin });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Not sent: Write a reply before sending');
    expect(replies).toHaveLength(before);
  });
});

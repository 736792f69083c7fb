/**
 * Messages at the sandbox EHR (issue 14): the seeded threads, the strict checks a real EHR's
 * messaging makes, and the clinician's inbox round trip (read marks received, a reply lands in
 * the patient's thread).
 */
import type { Bundle, Communication } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_FACTS, messageId } from '../../fixtures';
import type { TestServer } from './testing';
import { entries, startTestServer } from './testing';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const ME = 'Patient/pat-001';
function message(over: Partial<Communication> = {}): Communication {
  return { resourceType: 'Communication', status: 'completed', subject: { reference: ME }, sender: { reference: ME }, recipient: [{ reference: 'Practitioner/prac-001' }], sent: '2026-11-01T10:00:00Z', payload: [{ contentString: 'Question about my dose' }], ...over };
}
const expressionOf = (body: unknown) => (body as { issue?: { expression?: string[] }[] }).issue?.[0]?.expression?.[0];

describe('seeded messages', () => {
  it('gives each ordinary patient five messages in three threads, one from the GP unread', async () => {
    const res = await t.request<Bundle>(`/Communication?patient=${ME}&_count=50`, { token: 'patientMessages' });
    const list = entries(res.body) as Communication[];
    expect(list).toHaveLength(5);
    const unread = list.filter((c) => c.recipient?.some((r) => r.reference === ME) && !c.received);
    expect(unread.map((c) => [c.id, c.topic?.text, c.sender?.reference])).toEqual([[messageId('pat-001', 5), MESSAGE_FACTS.unreadTopic, 'Practitioner/prac-001']]);
  });
});

describe('strict like a real EHR', () => {
  it('files a valid message from the patient to their GP', async () => {
    const res = await t.request<Communication>('/Communication', { method: 'POST', token: 'patientMessages', body: message() });
    expect(res.status).toBe(201);
  });

  it.each([
    ['no subject', { subject: undefined }, 'Communication.subject'],
    ['an unknown patient as subject', { subject: { reference: 'Patient/nobody' } }, 'Communication.subject'],
    ['no recipient', { recipient: [] }, 'Communication.recipient'],
    ['an unknown recipient', { recipient: [{ reference: 'Practitioner/prac-999' }] }, 'Communication.recipient[0]'],
    ['an unknown sender', { sender: { reference: 'Practitioner/ghost' } }, 'Communication.sender'],
    ['no content', { payload: undefined }, 'Communication.payload'],
    ['an attachment without a type', { payload: [{ contentAttachment: { data: 'AAAA' } }] }, 'Communication.payload[0].contentAttachment'],
    ['a status that is not sent', { status: 'preparation' as const }, 'Communication.status'],
    ['a reply to another patient’s message', { inResponseTo: [{ reference: `Communication/${messageId('pat-002', 1)}` }] }, 'Communication.inResponseTo'],
    ['a reply to a message that does not exist', { inResponseTo: [{ reference: 'Communication/missing' }] }, 'Communication.inResponseTo'],
  ])('refuses %s with a 422 OperationOutcome naming the element', async (_what, over, expression) => {
    const before = (entries((await t.request<Bundle>(`/Communication?patient=${ME}&_count=200`)).body)).length;
    const res = await t.request('/Communication', { method: 'POST', body: message(over as Partial<Communication>) });
    expect(res.status).toBe(422);
    expect(expressionOf(res.body)).toBe(expression);
    expect(entries((await t.request<Bundle>(`/Communication?patient=${ME}&_count=200`)).body)).toHaveLength(before);
  });

  it('refuses a patient token writing a message about another patient (403)', async () => {
    const res = await t.request('/Communication', { method: 'POST', token: 'patientMessages', body: message({ subject: { reference: 'Patient/pat-002' } }) });
    expect(res.status).toBe(403);
  });
});

describe('the clinician inbox', () => {
  it('lists messages to the clinician, marks one read when opened, and files the reply in the thread for the patient', async () => {
    const inbox = t.fhir.inbox!;
    const sent = await t.request<Communication>('/Communication', { method: 'POST', token: 'patientMessages', body: message({ topic: { text: 'Inbox round trip' }, sent: '2026-11-30T10:00:00Z' }) });
    const listed = await inbox.list('prac-001');
    expect(listed[0]?.id).toBe(sent.body.id); // newest first
    expect(listed[0]?.received).toBeUndefined();

    const opened = await inbox.open('prac-001', sent.body.id!);
    expect(opened?.message.received).toBeDefined();
    expect(opened?.thread.map((c) => c.id)).toEqual([sent.body.id]);

    const reply = await inbox.reply('prac-001', sent.body.id!, 'Take it with food.');
    expect(reply).toMatchObject({ sender: { reference: 'Practitioner/prac-001' }, recipient: [{ reference: ME }], subject: { reference: ME }, inResponseTo: [{ reference: `Communication/${sent.body.id}` }], topic: { text: 'Inbox round trip' } });
    const seen = entries((await t.request<Bundle>(`/Communication?patient=${ME}&_count=200`, { token: 'patientMessages' })).body) as Communication[];
    expect(seen.find((c) => c.id === reply.id)?.payload?.[0]?.contentString).toBe('Take it with food.');
  });

  it('keeps a clinician out of messages they are not party to, and refuses an empty reply', async () => {
    const inbox = t.fhir.inbox!;
    expect(await inbox.open('prac-004', messageId('pat-001', 1))).toBeUndefined();
    await expect(inbox.reply('prac-004', messageId('pat-001', 1), 'Hi')).rejects.toMatchObject({ status: 404 });
    await expect(inbox.reply('prac-001', messageId('pat-001', 1), '  ')).rejects.toMatchObject({ status: 422 });
  });
});

/**
 * The EHR's side of patient messages: what the signed-in clinician's inbox shows and does. Reads
 * and writes go to the same repository as the FHIR API (so a reply here is what the patient's
 * app reads), and a reply passes the same checks as a message written through the API
 * (communication.ts).
 */
import type { Bundle, Communication } from '@medplum/fhirtypes';
import type { EhrInbox } from '../contracts';
import { checkCommunication } from './communication';
import { FhirError } from './outcome';
import type { ServerState } from './state';
import { callRouter } from './state';

const CATEGORY = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'notification' }], text: 'Message' }];

async function search(state: ServerState, query: string): Promise<Communication[]> {
  const { resource } = await callRouter(state, 'GET', `Communication?${query}`);
  return ((resource as Bundle | undefined)?.entry ?? []).flatMap((e) => (e.resource ? [e.resource as Communication] : []));
}

function parentId(c: Communication): string | undefined {
  for (const r of [...(c.inResponseTo ?? []), ...(c.partOf ?? [])]) {
    const m = /(?:^|\/)Communication\/([A-Za-z0-9\-.]{1,64})$/.exec(r.reference ?? '');
    if (m) return m[1];
  }
  return undefined;
}

const topicKey = (c: Communication) => (c.topic?.text ?? '').toLowerCase().replace(/^(re:\s*)+/, '').trim();

function involves(c: Communication, who: string): boolean {
  return c.sender?.reference === who || (c.recipient ?? []).some((r) => r.reference === who);
}

export function createInbox(state: ServerState): EhrInbox {
  return {
    async list(practitionerId) {
      return search(state, `recipient=${encodeURIComponent(`Practitioner/${practitionerId}`)}&_sort=-sent&_count=200`);
    },
    async open(practitionerId, id) {
      const me = `Practitioner/${practitionerId}`;
      const latest = state.log.latest('Communication', id);
      if (!latest || latest.method === 'DELETE' || !involves(latest.resource as Communication, me)) return undefined;
      let message = latest.resource as Communication;
      const patient = message.subject?.reference ?? '';
      const all = await search(state, `subject=${encodeURIComponent(patient)}&_count=500`);
      const byId = new Map(all.map((c) => [c.id!, c]));
      const rootOf = (c: Communication): Communication => {
        const seen = new Set<string>();
        let current = c;
        for (let parent = parentId(current); parent && byId.has(parent) && !seen.has(parent); parent = parentId(current)) {
          seen.add(parent);
          current = byId.get(parent)!;
        }
        return current;
      };
      const root = rootOf(message);
      const thread = all
        .filter((c) => rootOf(c).id === root.id || (topicKey(c) !== '' && topicKey(c) === topicKey(root)))
        .sort((a, b) => (a.sent ?? '').localeCompare(b.sent ?? ''));
      // Opening a message to me marks it read, as EHR inboxes do.
      if ((message.recipient ?? []).some((r) => r.reference === me) && !message.received) {
        message = await state.serialize(async () => {
          const { resource } = await callRouter(state, 'PUT', `Communication/${id}`, { ...message, received: new Date().toISOString() });
          return (resource as Communication | undefined) ?? message;
        });
      }
      return { message, thread: thread.map((c) => (c.id === message.id ? message : c)) };
    },
    async reply(practitionerId, id, text) {
      const me = `Practitioner/${practitionerId}`;
      const latest = state.log.latest('Communication', id);
      if (!latest || latest.method === 'DELETE' || !involves(latest.resource as Communication, me)) throw FhirError.of(404, 'not-found', 'No such message in your inbox');
      const original = latest.resource as Communication;
      if (!text.trim()) throw FhirError.of(422, 'required', 'Write a reply before sending');
      const answerTo = original.sender?.reference === me ? original.recipient?.[0] : original.sender;
      const reply: Communication = {
        resourceType: 'Communication',
        status: 'completed',
        category: CATEGORY,
        subject: original.subject!,
        sender: { reference: me },
        recipient: [{ reference: answerTo?.reference ?? '' }],
        sent: new Date().toISOString(),
        inResponseTo: [{ reference: `Communication/${id}` }],
        ...(original.topic ? { topic: original.topic } : {}),
        payload: [{ contentString: text.trim() }],
      };
      checkCommunication(state, reply);
      return state.serialize(async () => {
        const { resource } = await callRouter(state, 'POST', 'Communication', reply);
        if (!resource) throw FhirError.of(500, 'exception', 'The repository returned no resource');
        return resource as Communication;
      });
    },
  };
}

/**
 * What the sandbox EHR demands of a message (Communication), as strictly as a real EHR's
 * messaging does: a status of completed or in-progress, a patient it is about that exists, a
 * sender and at least one recipient that exist (a message to an unknown person is refused, never
 * filed where nobody reads it), some content, attachments that say what they are, and a reply
 * (`inResponseTo`, `partOf`) to a message about the same patient. Refusals are 422
 * OperationOutcomes naming the element, as Epic's and Oracle Health's APIs answer.
 */
import type { Communication, Reference } from '@medplum/fhirtypes';
import { FhirError } from './outcome';
import type { ServerState } from './state';

const SENDER_TYPES = new Set(['Patient', 'Practitioner', 'PractitionerRole', 'RelatedPerson', 'Organization', 'CareTeam', 'Device']);
const STATUSES = new Set(['completed', 'in-progress']);

function refused(expression: string, text: string): FhirError {
  return new FhirError(422, { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics: text, expression: [expression] }] });
}

function local(state: ServerState, ref: Reference | undefined): { type: string; id: string } | undefined {
  const raw = ref?.reference ?? '';
  const rel = raw.startsWith(`${state.baseUrl}/`) ? raw.slice(state.baseUrl.length + 1) : raw;
  const m = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/.exec(rel);
  return m ? { type: m[1]!, id: m[2]! } : undefined;
}

function exists(state: ServerState, type: string, id: string): boolean {
  const latest = state.log.latest(type, id);
  return latest !== undefined && latest.method !== 'DELETE';
}

/** Throws a 422 FhirError unless `message` is one this EHR files. */
export function checkCommunication(state: ServerState, message: Communication): void {
  if (!STATUSES.has(message.status)) throw refused('Communication.status', 'status must be completed or in-progress');
  const subject = local(state, message.subject);
  if (!subject || subject.type !== 'Patient' || !exists(state, 'Patient', subject.id)) throw refused('Communication.subject', 'subject must reference a known Patient');
  const sender = local(state, message.sender);
  if (!sender || !SENDER_TYPES.has(sender.type) || !exists(state, sender.type, sender.id)) throw refused('Communication.sender', 'sender must reference a known person');
  const recipients = message.recipient ?? [];
  if (recipients.length === 0) throw refused('Communication.recipient', 'at least one recipient is required');
  recipients.forEach((r, i) => {
    const to = local(state, r);
    if (!to || !SENDER_TYPES.has(to.type) || !exists(state, to.type, to.id)) throw refused(`Communication.recipient[${i}]`, 'unknown recipient');
  });
  const payload = message.payload ?? [];
  if (!payload.some((p) => p.contentString?.trim() || p.contentAttachment)) throw refused('Communication.payload', 'a message needs text or an attachment');
  payload.forEach((p, i) => {
    const a = p.contentAttachment;
    if (a && (!a.contentType || (!a.data && !a.url))) throw refused(`Communication.payload[${i}].contentAttachment`, 'an attachment needs a contentType and data or url');
  });
  for (const link of [...(message.inResponseTo ?? []), ...(message.partOf ?? [])]) {
    const target = local(state, link);
    if (!target || target.type !== 'Communication') continue; // partOf may name other kinds of event
    const stored = state.log.latest('Communication', target.id);
    const about = stored && stored.method !== 'DELETE' ? local(state, (stored.resource as Communication).subject) : undefined;
    if (!about || about.id !== subject.id) throw refused('Communication.inResponseTo', 'a reply must answer a known message about the same patient');
  }
}

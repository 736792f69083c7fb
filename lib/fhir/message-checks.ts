import type { Communication, Resource } from '@medplum/fhirtypes';
import { checkMessageAttachments } from './compose/attachments';
import { ProxyError } from './outcome';

/** Who a message may be addressed to besides the patient: people who care for them. */
const RECIPIENT_TYPES = new Set(['Practitioner', 'PractitionerRole', 'CareTeam', 'Organization']);

/**
 * The proxy's checks of a message a patient or clinician writes (a Communication create or
 * update), before anything reaches the EHR: its attachments are allowed types whose content
 * matches, inline and within size (attachments.ts, the same rules the compose form applied);
 * it names its sender as the launch's own user (a message is never sent in someone else's
 * name); and it has at least one recipient of a kind that can answer. Returns the recipients
 * the caller must judge against the patient's consents.
 */
export function checkMessageBody(body: Resource, ctx: { fhirUser: string | null }): string[] {
  if (body.resourceType !== 'Communication') return [];
  const message = body as Communication;
  const refused = checkMessageAttachments((message.payload ?? []).flatMap((p) => (p.contentAttachment ? [p.contentAttachment] : [])));
  if (refused) throw new ProxyError(refused);
  if (!ctx.fhirUser || message.sender?.reference !== ctx.fhirUser) throw new ProxyError('invalid-body', 'the sender must be the signed-in user');
  const recipients = (message.recipient ?? []).map((r) => r.reference ?? '');
  if (recipients.length === 0) throw new ProxyError('invalid-body', 'a message needs a recipient');
  const others = recipients.filter((r) => r !== ctx.fhirUser && !r.startsWith('Patient/'));
  for (const r of others) {
    const type = /^([A-Z][A-Za-z]+)\/[A-Za-z0-9\-.]{1,64}$/.exec(r)?.[1];
    if (!type || !RECIPIENT_TYPES.has(type)) throw new ProxyError('invalid-body', 'a recipient must be a member of the care team');
  }
  return others;
}

function stable(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A change to a stored message: only a recipient may make one, and only to mark it read
 * (`received`). What was said, by whom and to whom is the sender's record and never changes
 * through Housecall. Returns the body to send: the stored message with the new `received`.
 */
export function checkMessageUpdate(stored: Resource, body: Resource, ctx: { fhirUser: string | null }): Communication {
  const before = stored as Communication;
  const after = body as Communication;
  if (!ctx.fhirUser || !(before.recipient ?? []).some((r) => r.reference === ctx.fhirUser)) throw new ProxyError('consent-denied', 'only a recipient may mark a message read');
  const { received: _r1, meta: _m1, text: _t1, ...kept } = before;
  const { received, meta: _m2, text: _t2, ...changed } = after;
  if (stable(kept) !== stable(changed) || typeof received !== 'string') throw new ProxyError('invalid-body', 'only received may change');
  return { ...before, received };
}

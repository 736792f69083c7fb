import type { Communication, Consent } from '@medplum/fhirtypes';
import { decideForResource, permitsResource, type ConsentContext } from './enforce';
import type { Decision, DecisionPolicy } from './types';

/**
 * Whether the patient's consents let `recipient` read `message` (issue 14): a message puts what
 * it says in front of its recipient, so it is judged as that person reading it for treatment.
 * The proxy refuses a message the answer forbids (`recipient-not-allowed`); the compose form
 * does not offer such a person at all. Pure.
 */
export function recipientDecision(ctx: Omit<ConsentContext, 'actor' | 'purposeOfUse'>, recipient: string, message: Communication): { allowed: boolean; decision: Decision } {
  const asRecipient: ConsentContext = { ...ctx, actor: { reference: recipient, roles: [], memberOf: [] }, purposeOfUse: 'TREAT' };
  const decision = decideForResource(asRecipient, message, 'access');
  return { allowed: permitsResource(decision, message), decision };
}

/** The references among `people` the patient's consents let receive a message from them now. */
export function allowedRecipients(input: { patientId: string; consents: readonly Consent[]; now: Date; policy: DecisionPolicy }, people: readonly string[]): Set<string> {
  const probe: Communication = { resourceType: 'Communication', status: 'completed', subject: { reference: `Patient/${input.patientId}` }, sent: input.now.toISOString() };
  return new Set(people.filter((p) => recipientDecision(input, p, { ...probe, recipient: [{ reference: p }] }).allowed));
}

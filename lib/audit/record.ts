import 'server-only';
import { randomUUID } from 'node:crypto';
import type { AuditStore } from '../store';
import { toAuditEvent, type AuditInput } from './audit-event';

/**
 * Appends one audit event to the hash-chained log, keyed by the actor's issuer and the patient
 * (a patient's history lists only events of their own issuer). It is awaited on the request path: an
 * access that cannot be audited is reported as a failure rather than served silently.
 */
export async function recordAudit(store: AuditStore, input: Omit<AuditInput, 'id' | 'recorded'> & { recorded?: Date }): Promise<string> {
  const id = randomUUID();
  const recorded = input.recorded ?? new Date();
  const event = toAuditEvent({ ...input, id, recorded });
  await store.append({
    id,
    recorded_at: recorded.getTime(),
    issuer_id: input.actor.issuerId,
    patient_id: input.patientId,
    launch_id: input.launchId,
    category: input.category,
    outcome: input.outcome,
    body: JSON.stringify(event),
  });
  return id;
}

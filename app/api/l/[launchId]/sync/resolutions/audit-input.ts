import 'server-only';
import type { recordAudit } from '@/lib/audit';
import type { ResolutionInput } from './schema';

type AuditFields = Parameters<typeof recordAudit>[1];

/**
 * The audit event of a settled sync conflict: the decision as outcome code (`reapply` and
 * `auto-merge` named as such), and in the reason text the field paths (never values) and the
 * versions it was settled between, so the record says which server copy a change was judged
 * against. The actor is the launch's user, never the body's `who`.
 */
export function resolutionAuditInput(resolution: ResolutionInput, launch: { id: string; fhirUser: string | null; issuerId: string; patientId: string | null }): AuditFields {
  const theirsFields = resolution.theirsFields?.length ? `; server changed: ${resolution.theirsFields.join(', ')}` : '';
  const versions = ` [base version ${resolution.baseVersion ?? 'unknown'}, server version ${resolution.theirsVersion ?? 'unknown'}]`;
  const head = `${resolution.decision}: ${resolution.fields.join(', ')}${theirsFields}`;
  return {
    category: 'conflict-resolution',
    outcome: 'success',
    subtype: resolution.decision === 'auto-merge' ? 'sync-auto-merge' : 'sync-conflict-resolution',
    outcomeCode: resolution.decision,
    // The versions go last but are never cut off: the field list gives way first.
    reasonText: `${head.slice(0, 500 - versions.length)}${versions}`,
    actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId },
    patientId: launch.patientId,
    launchId: launch.id,
    entity: { reference: resolution.resource },
  };
}

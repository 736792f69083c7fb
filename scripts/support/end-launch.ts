/**
 * What `npm run support:end-launch -- <launchId>` does (issue 5: support-initiated wipe), apart
 * from the command line: ends the launch with reason `support-ended`, revokes its tokens at the
 * EHR as a sign-out does, and audits it. The launch's browser learns it on its next sync round:
 * the consent directive then answers 401 `launch-withdrawn`, and the client crypto-shreds the
 * partition in every tab (lib/sync consent-sync.ts). Identifiers only, no PHI.
 */
import { recordAudit } from '../../lib/audit';
import { endLaunchAndRevoke, type SmartConfig } from '../../lib/smart';
import type { Store } from '../../lib/store';

/** What happened: ended now, no such launch, or it had ended already (its reason kept). */
export type SupportEndResult = { outcome: 'ended' } | { outcome: 'not-found' } | { outcome: 'already-ended'; endReason: string | null };

/** Ends one launch on support's behalf. `operator`: who ran it (an OS user name), for the audit trail. */
export async function supportEndLaunch(launchId: string, deps: { store: Store; config: SmartConfig; operator: string }): Promise<SupportEndResult> {
  const launch = await deps.store.launches.getLaunch(launchId);
  if (!launch) return { outcome: 'not-found' };
  // An ended launch keeps its reason: a sign-out already erased the device's copy, and any
  // other ending already tells the client to erase it.
  if (launch.endedAt !== null) return { outcome: 'already-ended', endReason: launch.endReason };
  await endLaunchAndRevoke(launch, 'support-ended', { store: deps.store.launches, config: deps.config });
  await recordAudit(deps.store.audit, {
    category: 'session',
    outcome: 'success',
    outcomeCode: 'support-ended',
    subtype: 'support-end-launch',
    actor: { fhirUser: launch.fhirUser, clientId: 'housecall-support', issuerId: launch.issuerId },
    patientId: launch.patientId,
    launchId: launch.id,
    reasonText: `ended by support operator ${deps.operator}`.slice(0, 200),
  });
  return { outcome: 'ended' };
}

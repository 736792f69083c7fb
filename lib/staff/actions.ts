import 'server-only';
import { supportEndLaunch, type SupportEndResult } from '../../scripts/support/end-launch';
import type { SmartConfig } from '../smart';
import type { Store } from '../store';
import { auditStaffAction } from './guard';
import type { StaffSession } from './roles';
import type { HeldAction } from './schema';

/**
 * What staff can do to a launch, each audited with the staff member's name, role and reason.
 * Ending reuses the support script's wipe (scripts/support/end-launch.ts: end, revoke at the
 * EHR, audit): the device erases its copy on its next sync round.
 */
export async function endLaunchAsStaff(session: StaffSession, launchId: string, reason: string, deps: { store: Store; config: SmartConfig }): Promise<SupportEndResult> {
  const launch = await deps.store.launches.getLaunch(launchId);
  const result = await supportEndLaunch(launchId, { store: deps.store, config: deps.config, operator: `${session.name} (${session.staffId}, staff console)` });
  await auditStaffAction(session, {
    action: 'staff-end-launch',
    outcome: result.outcome === 'ended' ? 'success' : 'failure',
    outcomeCode: result.outcome === 'ended' ? 'support-ended' : result.outcome,
    ...(launch ? { launch: { id: launch.id, issuerId: launch.issuerId, patientId: launch.patientId } } : {}),
    reason,
  }, deps.store.audit);
  return result;
}

export type HeldResult = { outcome: 'done'; count: number } | { outcome: 'not-found' } | { outcome: 'no-owner' };

/**
 * Release (keep them for the person's next launch another 7 days, which takes them back and
 * sends them) or discard (delete) the changes held for the launch's user and patient.
 */
export async function heldChangesAsStaff(session: StaffSession, launchId: string, action: HeldAction, reason: string, deps: { store: Store }): Promise<HeldResult> {
  const launch = await deps.store.launches.getLaunch(launchId);
  if (!launch) return { outcome: 'not-found' };
  if (!launch.fhirUser || !launch.patientId) return { outcome: 'no-owner' };
  const owner = { issuerId: launch.issuerId, fhirUser: launch.fhirUser, patientId: launch.patientId };
  const count = action === 'discard' ? await deps.store.held.discardAll(owner) : await deps.store.held.renew(owner);
  await auditStaffAction(session, {
    action: action === 'discard' ? 'staff-discard-held' : 'staff-release-held',
    outcomeCode: `held-${action === 'discard' ? 'discarded' : 'released'}-${count}`,
    launch: { id: launch.id, issuerId: launch.issuerId, patientId: launch.patientId },
    reason,
  }, deps.store.audit);
  return { outcome: 'done', count };
}

/** The real user or patient id of a launch, for a role allowed to see it; audited before it is returned. */
export async function revealAsStaff(session: StaffSession, launchId: string, which: 'user' | 'patient', reason: string, deps: { store: Store }): Promise<string | null | undefined> {
  const launch = await deps.store.launches.getLaunch(launchId);
  if (!launch) return undefined;
  await auditStaffAction(session, {
    action: 'staff-reveal-id',
    outcomeCode: `reveal-${which}`,
    launch: { id: launch.id, issuerId: launch.issuerId, patientId: launch.patientId },
    reason,
  }, deps.store.audit);
  return which === 'user' ? launch.fhirUser : launch.patientId;
}

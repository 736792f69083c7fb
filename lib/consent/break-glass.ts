import 'server-only';
/**
 * Break-glass as a privilege with a beginning and an end (DESIGN §1 Consent; IHE BALP and DICOM
 * 110113 Security Alert with 110127 Emergency Override Started / 110138 Emergency Override
 * Stopped). Only users the deployment lists may break the glass; a refusal is audited like the
 * start. The window ends when its time runs out (noticed at the launch's next request) or when
 * the clinician stops it, and either end is its own audit event, so the patient's access history
 * shows the start, every access made under it (purpose BTG) and the end.
 */
import { recordAudit } from '../audit';
import type { LaunchRecord, Store } from '../store';
import { normalizeReference } from './codes';

/** Why a launch may not break the glass, or 'allowed'. */
export type BreakGlassPrivilege = 'allowed' | 'disabled' | 'not-clinician' | 'not-privileged';

/**
 * Whether this launch's user may break the glass: a clinician launch, break-glass enabled in
 * the deployment, and the user's normalised `fhirUser` on the issuer's `breakGlass.allowedUsers`
 * list (an absolute `fhirUser` as Epic sends it compares by `Type/id`). A user named by a role
 * is on the list when the role is, or when the Practitioner it acts for is (`actsFor`).
 */
export function breakGlassPrivilege(launch: Pick<LaunchRecord, 'workflow' | 'fhirUser'> & { actsFor?: string | null }, allowedUsers: readonly string[], enabled: boolean): BreakGlassPrivilege {
  if (!enabled) return 'disabled';
  if (launch.workflow !== 'clinician') return 'not-clinician';
  const users = [launch.fhirUser, launch.actsFor].map((u) => normalizeReference(u ?? undefined)).filter((u): u is string => u !== undefined);
  if (!allowedUsers.some((u) => users.includes(normalizeReference(u) ?? ''))) return 'not-privileged';
  return 'allowed';
}

type Launch = Pick<LaunchRecord, 'id' | 'fhirUser' | 'issuerId' | 'patientId' | 'breakGlassUntil'>;

function actor(launch: Launch) {
  return { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId };
}

/** A refused break-glass, audited as a denied security alert the patient can see. */
export async function auditBreakGlassRefused(launch: Launch, store: Pick<Store, 'audit'>, code: Exclude<BreakGlassPrivilege, 'allowed'>): Promise<void> {
  await recordAudit(store.audit, {
    category: 'break-glass', outcome: 'denied', outcomeCode: code, subtype: 'break-glass-refused', purposeOfUse: ['BTG'],
    actor: actor(launch), patientId: launch.patientId, launchId: launch.id,
  });
}

/** Opens the window until `until` and audits the start with the stated reason. */
export async function startBreakGlass(launch: Launch, store: Pick<Store, 'audit' | 'launches'>, input: { reason: string; until: number }): Promise<void> {
  await store.launches.setBreakGlass(launch.id, input.until);
  await recordAudit(store.audit, {
    category: 'break-glass', outcome: 'success', subtype: 'break-glass', purposeOfUse: ['BTG'], reasonText: input.reason,
    actor: actor(launch), patientId: launch.patientId, launchId: launch.id,
  });
}

async function end(launch: Launch, store: Pick<Store, 'audit' | 'launches'>, how: 'expired' | 'stopped', now: Date): Promise<boolean> {
  const until = launch.breakGlassUntil;
  if (until === null || !(await store.launches.endBreakGlass(launch.id, until))) return false;
  await recordAudit(store.audit, {
    category: 'session', outcome: 'success', outcomeCode: how, subtype: 'break-glass-end', purposeOfUse: ['BTG'],
    actor: actor(launch), patientId: launch.patientId, launchId: launch.id, recorded: how === 'expired' ? new Date(Math.min(until, now.getTime())) : now,
  });
  return true;
}

/** The clinician stops an open window early. False when none was open. */
export async function stopBreakGlass(launch: Launch, store: Pick<Store, 'audit' | 'launches'>, now: Date = new Date()): Promise<boolean> {
  if (launch.breakGlassUntil === null || launch.breakGlassUntil <= now.getTime()) {
    await endLapsedBreakGlass(launch, store, now);
    return false;
  }
  return end(launch, store, 'stopped', now);
}

/**
 * Records the end of a window whose time ran out, once (the store clears it for exactly one
 * caller). Called at the start of each proxied request of the launch.
 */
export async function endLapsedBreakGlass(launch: Launch, store: Pick<Store, 'audit' | 'launches'>, now: Date = new Date()): Promise<boolean> {
  if (launch.breakGlassUntil === null || launch.breakGlassUntil > now.getTime()) return false;
  return end(launch, store, 'expired', now);
}

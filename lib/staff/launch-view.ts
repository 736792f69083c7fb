import 'server-only';
import type { UnusualAccess } from '../audit';
import type { ChainCheck, LaunchKey, Store } from '../store';
import { pseudonym } from './pseudonym';

/**
 * What the staff console shows of one launch: identifiers as pseudonyms, times, codes and
 * counts. Built here, in one place, so that the PHI scan (lib/staff/phi-scan.test.ts) covers
 * everything a support page can show: no names, MRNs, birth dates, patient ids or tokens.
 */
export interface LaunchView {
  id: string;
  issuerId: string;
  workflow: 'clinician' | 'patient';
  userRef: string | null;
  patientRef: string | null;
  startedAt: number;
  lastRefreshAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  tokens: { accessExpiresAt: number | null; refreshPresent: boolean; rotations: number; revoked: boolean };
  sync: SyncView | null;
  held: { count: number; oldestHeldAt: number | null; resourceTypes: string[] } | null;
  audit: { events: AuditLine[]; chain: ChainCheck };
  findings: FindingView[];
}

export interface SyncView {
  reportedAt: number;
  pending: number;
  inFlight: number;
  failed: number;
  needsReview: number;
  storage: 'persisted' | 'best-effort' | 'memory-only';
  /** Newest saved record per data class, as an age in ms at the last report. */
  cacheAgeMs: Record<string, number | null>;
  /** Resource types the device's last round could not download and will not retry, with the EHR's code: its copy lacks them. */
  downloadsFailing: Record<string, string>;
}

export interface AuditLine {
  seq: number;
  recordedAt: number;
  category: string;
  action: string;
  outcome: string;
  outcomeCode: string | null;
  /** Who: `staff: Name`, a user pseudonym, or `unknown`. */
  actor: string;
  /** The resource type touched, never its id. */
  resourceType: string | null;
}

export interface FindingView {
  rule: UnusualAccess['rule'];
  issuerId: string;
  /** The actor as a pseudonymous user reference, never their id. */
  actorRef: string | null;
  count: number;
  windowMinutes: number;
}

/** A finding with its actor replaced by a pseudonym. */
export function toFindingView(f: UnusualAccess, key: Buffer): FindingView {
  return { rule: f.rule, issuerId: f.issuerId, actorRef: f.actor ? pseudonym('user', f.issuerId, f.actor, key) : null, count: f.count, windowMinutes: f.windowMinutes };
}

/** Whether a finding concerns this launch: its user at its issuer, or refused refreshes where it ended that way. */
export function findingConcerns(f: UnusualAccess, launch: Pick<LaunchKey, 'issuerId' | 'fhirUser' | 'endReason'>): boolean {
  if (f.issuerId !== launch.issuerId) return false;
  if (f.rule === 'refresh-failures') return launch.endReason === 'refresh-failed';
  return f.actor !== undefined && f.actor === launch.fhirUser;
}

/** A launch as one row of a support list. */
export interface LaunchRowView {
  id: string;
  issuerId: string;
  workflow: 'clinician' | 'patient';
  userRef: string | null;
  patientRef: string | null;
  startedAt: number;
  endedAt: number | null;
  endReason: string | null;
}

export function toLaunchRow(l: LaunchKey, key: Buffer): LaunchRowView {
  return {
    id: l.id, issuerId: l.issuerId, workflow: l.workflow,
    userRef: l.fhirUser ? pseudonym('user', l.issuerId, l.fhirUser, key) : null,
    patientRef: l.patientId ? pseudonym('patient', l.issuerId, l.patientId, key) : null,
    startedAt: l.createdAt, endedAt: l.endedAt, endReason: l.endReason,
  };
}

function auditLine(row: { seq: number; recorded_at: number; category: string; outcome: string; issuer_id: string | null; body: string }, key: Buffer): AuditLine {
  let event: { subtype?: { code?: string }[]; outcomeDesc?: string; agent?: { requestor?: boolean; who?: { reference?: string; display?: string; identifier?: { system?: string } } }[]; entity?: { what?: { reference?: string } }[] } = {};
  try {
    event = JSON.parse(row.body) as typeof event;
  } catch {
    // An unreadable body still shows as a line; the chain check says whether it was altered.
  }
  const who = event.agent?.find((a) => a.requestor)?.who;
  const actor = who?.identifier?.system === 'urn:housecall:staff'
    ? `staff: ${who.display ?? 'unknown'}`
    : who?.reference && row.issuer_id ? pseudonym('user', row.issuer_id, who.reference, key) : 'unknown';
  const resource = event.entity?.map((e) => e.what?.reference).find((r) => r && !r.startsWith('Patient/') && !r.startsWith('Consent/'));
  return {
    seq: Number(row.seq), recordedAt: Number(row.recorded_at), category: row.category, action: event.subtype?.[0]?.code ?? 'unknown',
    outcome: row.outcome, outcomeCode: event.outcomeDesc ?? null, actor, resourceType: resource ? (resource.split('/')[0] ?? null) : null,
  };
}

function syncView(body: unknown, reportedAt: number): SyncView | null {
  const m = body as { byState?: Record<string, number>; persistent?: boolean; persistenceGranted?: boolean; cacheAgeMs?: Record<string, number | null>; downloadsFailing?: Record<string, string> } | null;
  if (!m?.byState) return null;
  return {
    reportedAt,
    pending: m.byState.pending ?? 0,
    inFlight: m.byState['in-flight'] ?? 0,
    failed: m.byState.failed ?? 0,
    needsReview: m.byState['needs-review'] ?? 0,
    storage: !m.persistent ? 'memory-only' : m.persistenceGranted ? 'persisted' : 'best-effort',
    cacheAgeMs: m.cacheAgeMs ?? {},
    downloadsFailing: m.downloadsFailing ?? {},
  };
}

/** The launch page's view, or undefined when there is no such launch. */
export async function buildLaunchView(launchId: string, deps: { store: Store; key: Buffer; findings: readonly UnusualAccess[] }): Promise<LaunchView | undefined> {
  const { store, key } = deps;
  const launch = await store.launches.getLaunch(launchId);
  if (!launch) return undefined;
  const [tokens, metrics, events, chain] = await Promise.all([
    launch.endedAt === null ? store.launches.getTokens(launch.id) : Promise.resolve(undefined),
    store.support.clientMetrics(launch.id),
    store.audit.listForLaunch(launch.id),
    store.audit.verify(),
  ]);
  const held = launch.fhirUser && launch.patientId ? await store.held.list({ issuerId: launch.issuerId, fhirUser: launch.fhirUser, patientId: launch.patientId }) : null;
  const key_ = { id: launch.id, issuerId: launch.issuerId, workflow: launch.workflow, fhirUser: launch.fhirUser, patientId: launch.patientId, createdAt: launch.createdAt, endedAt: launch.endedAt, endReason: launch.endReason };
  const row = toLaunchRow(key_, key);
  return {
    ...row,
    lastRefreshAt: launch.lastRefreshAt ?? null,
    tokens: { accessExpiresAt: launch.accessExpiresAt, refreshPresent: Boolean(tokens?.refreshToken), rotations: launch.refreshCount ?? 0, revoked: launch.endedAt !== null },
    sync: metrics ? syncView(metrics.body, metrics.reportedAt) : null,
    held: held ? { count: held.length, oldestHeldAt: held[0]?.heldAt ?? null, resourceTypes: [...new Set(held.map((h) => heldResourceType(h.body)).filter((t): t is string => t !== null))] } : null,
    audit: { events: events.map((e) => auditLine(e, key)), chain },
    findings: deps.findings.filter((f) => findingConcerns(f, key_)).map((f) => toFindingView(f, key)),
  };
}

/** The resource type an outbox entry would write (never its content). */
function heldResourceType(body: string): string | null {
  try {
    const entry = JSON.parse(body) as { resourceType?: unknown; request?: { resourceType?: unknown }; resource?: { resourceType?: unknown } };
    const t = entry.resourceType ?? entry.request?.resourceType ?? entry.resource?.resourceType;
    return typeof t === 'string' && /^[A-Z][A-Za-z]{1,63}$/.test(t) ? t : null;
  } catch {
    return null;
  }
}

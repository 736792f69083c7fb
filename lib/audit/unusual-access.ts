/**
 * Unusual access (DESIGN §1 Telemetry: one user touching many patients, repeated denials,
 * refresh failure spikes), judged from the audit log and the launches that ended. Pure: the
 * rows come in as parameters and the clock is frozen in tests (STYLE rules 10, 11).
 *
 * Why these rules: a clinician's launch is for one patient, so one user opening many patients'
 * records in an hour is the classic sign of browsing (or of a stolen session); many refusals in a
 * few minutes is someone probing what the proxy or the patient's consents allow; a burst of
 * refused refreshes at one issuer is an EHR or credential problem that will end every launch
 * there; break-glass is an emergency override and is always worth a second look.
 */

/** One audited access with who made it (from its launch). */
export interface AccessRow {
  recordedAt: number;
  patientId: string | null;
  /** success | denied | failure */
  outcome: string;
  /** access | break-glass | … (lib/audit AuditCategory) */
  category: string;
  fhirUser: string | null;
  issuerId: string;
}

/** A launch that ended, with when and why. */
export interface EndedLaunchRow {
  endedAt: number;
  endReason: string | null;
  issuerId: string;
}

export type UnusualAccessRule = 'many-patients' | 'repeated-denials' | 'refresh-failures' | 'break-glass';

/** One finding. `actor` is the user's FHIR reference (for support with access to the store), never a patient. */
export interface UnusualAccess {
  rule: UnusualAccessRule;
  issuerId: string;
  actor?: string;
  count: number;
  /** The window judged, in minutes. */
  windowMinutes: number;
}

/** Thresholds and windows; the defaults are starting points for a deployment to tune. */
export interface UnusualAccessPolicy {
  manyPatients: { count: number; minutes: number };
  repeatedDenials: { count: number; minutes: number };
  refreshFailures: { count: number; minutes: number };
  breakGlassMinutes: number;
}

export const DEFAULT_UNUSUAL_ACCESS_POLICY: UnusualAccessPolicy = {
  manyPatients: { count: 20, minutes: 60 },
  repeatedDenials: { count: 10, minutes: 10 },
  refreshFailures: { count: 5, minutes: 10 },
  breakGlassMinutes: 60,
};

/** How far back `findUnusualAccess` looks, so a caller loads no more rows than it needs. */
export function lookbackMs(policy: UnusualAccessPolicy = DEFAULT_UNUSUAL_ACCESS_POLICY): number {
  return Math.max(policy.manyPatients.minutes, policy.repeatedDenials.minutes, policy.refreshFailures.minutes, policy.breakGlassMinutes) * 60_000;
}

function countBy<T>(rows: readonly T[], key: (row: T) => string | undefined): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), row]);
  }
  return out;
}

const userKey = (r: AccessRow) => (r.fhirUser ? JSON.stringify([r.issuerId, r.fhirUser]) : undefined);

/** The findings for `now`, most serious rules first, then by count. */
export function findUnusualAccess(access: readonly AccessRow[], ended: readonly EndedLaunchRow[], now: number, policy: UnusualAccessPolicy = DEFAULT_UNUSUAL_ACCESS_POLICY): UnusualAccess[] {
  const within = (minutes: number) => (at: number) => at > now - minutes * 60_000 && at <= now;
  const out: UnusualAccess[] = [];

  const recent = access.filter((r) => within(policy.manyPatients.minutes)(r.recordedAt) && r.category === 'access' && r.outcome === 'success');
  for (const [, rows] of countBy(recent, userKey)) {
    const patients = new Set(rows.map((r) => r.patientId).filter((p): p is string => p !== null)).size;
    if (patients >= policy.manyPatients.count) out.push({ rule: 'many-patients', issuerId: rows[0]!.issuerId, actor: rows[0]!.fhirUser!, count: patients, windowMinutes: policy.manyPatients.minutes });
  }

  const denied = access.filter((r) => within(policy.repeatedDenials.minutes)(r.recordedAt) && r.outcome === 'denied');
  for (const [, rows] of countBy(denied, userKey)) {
    if (rows.length >= policy.repeatedDenials.count) out.push({ rule: 'repeated-denials', issuerId: rows[0]!.issuerId, actor: rows[0]!.fhirUser!, count: rows.length, windowMinutes: policy.repeatedDenials.minutes });
  }

  const refused = ended.filter((e) => within(policy.refreshFailures.minutes)(e.endedAt) && e.endReason === 'refresh-failed');
  for (const [issuerId, rows] of countBy(refused, (e) => e.issuerId)) {
    if (rows.length >= policy.refreshFailures.count) out.push({ rule: 'refresh-failures', issuerId, count: rows.length, windowMinutes: policy.refreshFailures.minutes });
  }

  const glass = access.filter((r) => within(policy.breakGlassMinutes)(r.recordedAt) && r.category === 'break-glass' && r.outcome === 'success');
  for (const [, rows] of countBy(glass, userKey)) out.push({ rule: 'break-glass', issuerId: rows[0]!.issuerId, actor: rows[0]!.fhirUser!, count: rows.length, windowMinutes: policy.breakGlassMinutes });

  const order: UnusualAccessRule[] = ['many-patients', 'repeated-denials', 'break-glass', 'refresh-failures'];
  return out.sort((a, b) => order.indexOf(a.rule) - order.indexOf(b.rule) || b.count - a.count);
}

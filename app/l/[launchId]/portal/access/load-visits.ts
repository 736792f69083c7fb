import 'server-only';
import type { AuditEvent } from '@medplum/fhirtypes';
import { recordAudit, toAccessHistory, toAccessVisits, type AccessVisit, type KnownPerson } from '@/lib/audit';
import { forwardToEhr, namePeopleInHistory } from '@/lib/fhir/server';
import { processSingleton } from '@/lib/process-singleton';
import { findIssuerById, sendWithFreshToken, smartConfig } from '@/lib/smart';
import type { LaunchRecord, Store } from '@/lib/store';
import { logger } from '@/lib/telemetry';

/** How many audit events the history reads (newest first). */
const HISTORY_EVENTS = 500;
const NAMES_TTL_MS = 5 * 60_000;
const cache = processSingleton('access-history-names', () => new Map<string, { at: number; refs: string; people: Map<string, KnownPerson> }>());

/**
 * Names the people in the history with the patient's own launch (their care team, Practitioner
 * reads): only Practitioners, so no other patient is ever looked up. The reads are audited like
 * any other access of the patient's record; kept five minutes per launch so a reload asks nothing.
 * When the EHR cannot answer, the page says "a clinician, name not available".
 */
async function peopleIn(launch: LaunchRecord & { patientId: string }, store: Store, refs: string[]): Promise<Map<string, KnownPerson>> {
  const key = refs.join(',');
  const hit = cache.get(launch.id);
  if (hit && hit.refs === key && Date.now() - hit.at < NAMES_TTL_MS) return hit.people;
  const issuer = findIssuerById(smartConfig(), launch.issuerId);
  if (!issuer || refs.length === 0) return new Map();
  const deps = { store: store.launches, config: smartConfig() };
  try {
    const people = await namePeopleInHistory((req) => sendWithFreshToken(launch, deps, (accessToken) => forwardToEhr(req, { fhirBase: issuer.fhirBaseUrl, accessToken })), { patientId: launch.patientId, now: new Date() }, refs);
    await recordAudit(store.audit, {
      category: 'access', outcome: 'success', subtype: 'search-type', actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId },
      patientId: launch.patientId, launchId: launch.id, entity: { query: `CareTeam?patient=Patient%2F${launch.patientId}` },
    });
    cache.set(launch.id, { at: Date.now(), refs: key, people });
    return people;
  } catch (e) {
    logger.warn({ event: 'access_history.names_failed', launchId: launch.id, err: { name: (e as Error)?.name } }, 'could not name the people in an access history');
    return new Map();
  }
}

/**
 * The Practitioner each launch of a user named by their role acted for (lib/smart acts-for.ts),
 * so the history names the person, not "a clinician, name not available".
 */
async function actingFor(store: Store, launchIds: readonly string[]): Promise<Map<string, string>> {
  const found = await Promise.all(launchIds.map(async (id) => [id, (await store.launches.getLaunch(id))?.actsFor ?? null] as const));
  return new Map(found.filter((f): f is readonly [string, string] => f[1] !== null));
}

/** The patient's access history as visits, newest first; `hideOwn` leaves out the patient's own visits. */
export async function loadAccessVisits(launch: LaunchRecord & { patientId: string }, store: Store, hideOwn: boolean): Promise<AccessVisit[]> {
  const rows = await store.audit.listForPatient({ issuerId: launch.issuerId, patientId: launch.patientId }, HISTORY_EVENTS);
  const listed = toAccessHistory(rows.map((r) => JSON.parse(r.body) as AuditEvent)).map((item, i) => ({ ...item, launchId: rows[i]?.launch_id ?? null }));
  const isRole = (who: string) => who.startsWith('PractitionerRole/');
  const roles = await actingFor(store, [...new Set(listed.flatMap((i) => (isRole(i.who) && i.launchId ? [i.launchId] : [])))]);
  const items = listed.map((i) => (isRole(i.who) && i.launchId && roles.has(i.launchId) ? { ...i, who: roles.get(i.launchId)! } : i));
  const refs = [...new Set(items.map((i) => i.who).filter((w) => w.startsWith('Practitioner/')))].sort();
  const visits = toAccessVisits(items, launch.patientId, await peopleIn(launch, store, refs));
  return hideOwn ? visits.filter((v) => !v.self) : visits;
}

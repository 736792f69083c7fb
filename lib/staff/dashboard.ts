import 'server-only';
import type { Bundle, Consent, Patient } from '@medplum/fhirtypes';
import { recordAudit } from '../audit';
import { createBackendClient, BackendError, type BackendClient } from '../backend';
import { applyConsent, decideForType, type ConsentContext } from '../consent';
import { consentPolicy } from '../consent/server';
import { findIssuerById, type IssuerConfig, type SmartConfig } from '../smart';
import type { Store } from '../store';
import { OBSERVATION_CATEGORIES } from '../fhir/compose/requests';
import { logger } from '../telemetry';
import { DASHBOARD_SOURCES, sortCareTeamRows, toCareTeamRow, type CareTeamRow, type CareTeamSort, type DashboardSource, type PatientAnswers, type SourceAnswer } from './dashboard-compose';
import type { StaffSession } from './roles';
import { panelMembers } from './panel-members';

/**
 * The care-team dashboard for one staff member: their panel read from the EHR with SMART Backend
 * Services, each patient's sources judged by the patient's consents exactly as for a clinician
 * opening the chart (the staff member's own `fhirUser` Practitioner as the actor, the issuer's
 * purpose of use), one audit event per patient shown.
 *
 * A source consent withholds for the whole type is never fetched; one it withholds in part is
 * fetched and filtered (applyConsent), and the row says so. A source the backend token was not
 * granted, or that failed, is marked, never shown as empty.
 */
export type CareTeamView =
  | { state: 'ok'; rows: CareTeamRow[]; skippedMembers: number; notShown: number; practitioner: string; issuer: { id: string; name: string }; generatedAt: string; staleAfterDays: number; recentDays: number; openChartUrl: string }
  | { state: 'not-configured' }
  | { state: 'no-practitioner' }
  | { state: 'ehr-unavailable'; code: string };

export interface LoadCareTeamInput {
  staff: StaffSession;
  config: SmartConfig;
  store: Store;
  sort: CareTeamSort;
  now?: Date;
  /** Tests pass a client speaking to their own EHR; otherwise one per issuer, shared (its token too). */
  client?: BackendClient;
}

const QUERIES: Record<DashboardSource, (patient: string) => string> = {
  // Named by category: Epic refuses an Observation search that names no category or code.
  Observation: (p) => `Observation?patient=${p}&category=${OBSERVATION_CATEGORIES.join(',')}&_sort=-date&_count=100`,
  Encounter: (p) => `Encounter?patient=${p}&_sort=-date&_count=20`,
  DocumentReference: (p) => `DocumentReference?patient=${p}&_sort=-date&_count=50`,
  Task: (p) => `Task?patient=${p}&_count=100`,
  Communication: (p) => `Communication?patient=${p}&_count=100`,
};
const PRACTITIONER = /^Practitioner\/[A-Za-z0-9\-.]{1,64}$/;
const CONCURRENCY = 4;

const clients = new Map<string, BackendClient>();
function clientFor(issuer: IssuerConfig): BackendClient {
  let client = clients.get(issuer.id);
  if (!client) clients.set(issuer.id, (client = createBackendClient({ issuer })));
  return client;
}

function granted(client: BackendClient, type: string): boolean {
  const scopes = client.grantedScopes();
  return scopes.some((s) => s === `system/${type}.rs` || s === `system/${type}.read` || s === 'system/*.rs' || s === 'system/*.read' || (s.startsWith(`system/${type}.`) && /\.c?r?u?d?s$/.test(s) && s.includes('r')));
}

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

async function fetchSource(client: BackendClient, ctx: ConsentContext, source: DashboardSource): Promise<SourceAnswer> {
  if (!granted(client, source)) return { state: 'not-granted' };
  if (decideForType(ctx, source, 'access').decision === 'deny') return { state: 'withheld' };
  try {
    const filtered = applyConsent(await client.read<Bundle>(QUERIES[source](encodeURIComponent(ctx.patientId))), ctx);
    return { state: 'ok', bundle: filtered.body as Bundle, hidden: filtered.hidden };
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    return { state: 'failed' };
  }
}

function patientAnswer(found: Patient | undefined, ctx: ConsentContext): PatientAnswers['patient'] {
  if (!found) return { state: 'missing' };
  const filtered = applyConsent(found, ctx);
  return filtered.withheld ? { state: 'withheld' } : { state: 'ok', resource: found };
}

export async function loadCareTeam(input: LoadCareTeamInput): Promise<CareTeamView> {
  const settings = input.config.careTeam;
  const issuer = settings ? findIssuerById(input.config, settings.issuerId) : undefined;
  if (!settings || !issuer?.backend) return { state: 'not-configured' };
  const practitioner = input.staff.fhirUser;
  if (!practitioner || !PRACTITIONER.test(practitioner)) return { state: 'no-practitioner' };
  const now = input.now ?? new Date();
  const client = input.client ?? clientFor(issuer);

  let members: ReturnType<typeof panelMembers>;
  let patients: Map<string, Patient>;
  try {
    members = panelMembers(await client.read<Bundle>(`Group?managing-entity=${encodeURIComponent(practitioner)}&_count=20`), now);
    const ids = members.patientIds.slice(0, settings.maxPatients);
    const bundle = ids.length ? await client.read<Bundle>(`Patient?_id=${ids.map(encodeURIComponent).join(',')}&_count=${ids.length}`) : undefined;
    patients = new Map((bundle?.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Patient' && e.resource.id ? [[e.resource.id, e.resource as Patient]] : [])));
  } catch (error) {
    if (!(error instanceof BackendError)) throw error;
    logger.warn({ event: 'staff.care_team_unavailable', issuer: issuer.id, code: error.code }, 'care-team panel could not be read');
    return { state: 'ehr-unavailable', code: error.code };
  }
  const shown = members.patientIds.slice(0, settings.maxPatients);
  const policy = { ...consentPolicy(), breakGlassNeverOverrides: issuer.breakGlass.neverOverrides };

  const rows = await inBatches(shown, CONCURRENCY, async (patientId) => {
    const consents: Consent[] = await input.store.consents.listForPatient({ issuerId: issuer.id, patientId });
    const ctx: ConsentContext = { patientId, actor: { reference: practitioner, roles: [], memberOf: [] }, purposeOfUse: issuer.purposeOfUse, consents, now, policy };
    const answers = await Promise.all(DASHBOARD_SOURCES.map((s) => fetchSource(client, ctx, s)));
    const sources = Object.fromEntries(DASHBOARD_SOURCES.map((s, i) => [s, answers[i]!])) as PatientAnswers['sources'];
    const row = toCareTeamRow({ patientId, patient: patientAnswer(patients.get(patientId), ctx), sources, consents }, {
      staleAfterDays: settings.staleAfterDays, recentDays: settings.recentDays, practitioner, now,
      compose: { source: issuer.name, fetchedAt: now.toISOString() },
    });
    // One event per patient shown: the patient's own access history lists it.
    await recordAudit(input.store.audit, {
      category: 'access', outcome: 'success', subtype: 'care-team-dashboard',
      actor: { fhirUser: practitioner, clientId: issuer.backend!.clientId, issuerId: issuer.id, staff: { id: input.staff.staffId, name: input.staff.name, roles: input.staff.roles } },
      patientId, launchId: null, purposeOfUse: [issuer.purposeOfUse],
      ...(row.withheld.length ? { outcomeCode: 'consent-withheld' } : {}),
    });
    return row;
  });

  return {
    state: 'ok',
    rows: sortCareTeamRows(rows, input.sort),
    skippedMembers: members.skipped,
    notShown: members.patientIds.length - shown.length,
    practitioner,
    issuer: { id: issuer.id, name: issuer.name },
    generatedAt: now.toISOString(),
    staleAfterDays: settings.staleAfterDays,
    recentDays: settings.recentDays,
    openChartUrl: settings.openChartUrl,
  };
}

/** The EHR's address for a patient's chart (config `careTeam.openChartUrl`), values URL-encoded. */
export function openChartHref(template: string, practitioner: string, patientId: string): string {
  const practitionerId = practitioner.replace(/^Practitioner\//, '');
  return template
    .replace(/\{patient\}|%7Bpatient%7D/g, encodeURIComponent(patientId))
    .replace(/\{practitioner\}|%7Bpractitioner%7D/g, encodeURIComponent(practitionerId));
}

import 'server-only';
import type { LaunchRecord } from '@/lib/store';
import { getStore } from '@/lib/store';
import { ChartVisits, type ChartVisitKey } from '@/lib/store/chart-visits';

/** Visits are kept per clinician: only launches that name their user (fhirUser) and a patient. */
function visitKey(launch: LaunchRecord): ChartVisitKey | undefined {
  if (!launch.fhirUser || !launch.patientId) return undefined;
  return { fhirUser: launch.fhirUser, issuerId: launch.issuerId, patientId: launch.patientId };
}

async function visits(): Promise<ChartVisits> {
  return new ChartVisits((await getStore()).db);
}

/** When this clinician last opened this patient's chart before this launch (ISO), or null. */
export async function lastOpenedBefore(launch: LaunchRecord): Promise<string | null> {
  const key = visitKey(launch);
  if (!key) return null;
  const at = await (await visits()).lastOpenedBefore(key, launch.id);
  return at === null ? null : new Date(at).toISOString();
}

export async function recordChartOpen(launch: LaunchRecord): Promise<boolean> {
  const key = visitKey(launch);
  if (!key) return false;
  await (await visits()).recordOpen(key, launch.id);
  return true;
}

/**
 * Test-only endpoints that bend the sandbox (documented in sandbox/README.md):
 *   GET|POST|DELETE /_knobs   read, merge into, or reset the fault knobs (DELETE also zeroes stats)
 *   GET /_knobs/stats         counters: token requests by grant type, refresh token reuse, faults fired
 *   POST /_fhir-edit          a server-side edit: a new version behind the client's back
 *   POST /_fhir-delete        a server-side delete behind the client's back
 *   GET /_fhir-read?type=&patient=   what the server holds of one type for one patient (read-only)
 *   POST /_new-result         a laboratory result released now for a patient (fixtures/new-result.ts)
 * They have no authentication: they answer only in development (not NODE_ENV=production) and
 * only to loopback callers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Resource } from '@medplum/fhirtypes';
import { z } from 'zod';
import { NEW_RESULT_PRESETS, newLabResult, type NewResultPresetName } from '../../fixtures/new-result';
import type { FhirServer } from '../contracts';
import { resetStats, type SandboxStats } from '../faults';
import { KnobsPatchError, mergeKnobs, resetKnobs, type SandboxKnobs } from '../knobs';
import { sendJson } from './html';
import { BodyError, readJson } from './request-body';

export const FAULT_PATHS = ['/_knobs', '/_knobs/stats', '/_fhir-edit', '/_fhir-delete', '/_fhir-read', '/_new-result'] as const;
export type FaultPath = (typeof FAULT_PATHS)[number];

export interface FaultRoutesOptions {
  knobs: SandboxKnobs;
  stats: SandboxStats;
  fhir: FhirServer;
  /** False in production: every fault route answers 403. */
  enabled: boolean;
}

export function isFaultPath(pathname: string): pathname is FaultPath {
  return (FAULT_PATHS as readonly string[]).includes(pathname);
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/, '');
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function knobsRoute({ knobs, stats }: FaultRoutesOptions, req: IncomingMessage, res: ServerResponse, body: unknown): void {
  if (req.method === 'GET') return sendJson(res, 200, knobs);
  if (req.method === 'DELETE') {
    resetStats(stats);
    return sendJson(res, 200, resetKnobs(knobs));
  }
  sendJson(res, 200, mergeKnobs(knobs, body));
}

const targetSchema = {
  resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
};
const editSchema = z.strictObject({
  ...targetSchema,
  /** Top-level fields to set on the resource (resourceType, id and meta are kept). */
  set: z.record(z.string(), z.unknown()).default({}),
  /**
   * Security labels to put on the resource (meta.security), as the EHR's own labeler or a
   * privacy officer would; `[]` removes them. Absent: the labels are kept.
   */
  security: z.array(z.strictObject({ system: z.string().min(1), code: z.string().min(1), display: z.string().optional() })).max(20).optional(),
});
const deleteSchema = z.strictObject(targetSchema);

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** `POST /_fhir-edit` `{ resourceType, id, set: { … } }` → 200 with the new version of the resource. */
async function fhirEdit(fhir: FhirServer, res: ServerResponse, body: unknown): Promise<void> {
  if (!fhir.edit) return sendJson(res, 501, { error: 'not_supported', message: 'the FHIR server offers no edits' });
  const parsed = editSchema.safeParse(body);
  if (!parsed.success) return sendJson(res, 400, { error: 'edit_invalid', message: z.prettifyError(parsed.error) });
  const { resourceType, id, set, security } = parsed.data;
  const updated = await fhir.edit(resourceType, id, (current) =>
    ({ ...current, ...set, resourceType: current.resourceType, id: current.id, meta: security === undefined ? current.meta : { ...current.meta, security } }) as Resource,
  );
  sendJson(res, 200, updated);
}

/** `POST /_fhir-delete` `{ resourceType, id }` → 200 `{ deleted: "Type/id" }`. */
async function fhirDelete(fhir: FhirServer, res: ServerResponse, body: unknown): Promise<void> {
  if (!fhir.remove) return sendJson(res, 501, { error: 'not_supported', message: 'the FHIR server offers no deletes' });
  const parsed = deleteSchema.safeParse(body);
  if (!parsed.success) return sendJson(res, 400, { error: 'delete_invalid', message: z.prettifyError(parsed.error) });
  await fhir.remove(parsed.data.resourceType, parsed.data.id);
  sendJson(res, 200, { deleted: `${parsed.data.resourceType}/${parsed.data.id}` });
}

const newResultSchema = z.strictObject({
  patient: targetSchema.id,
  preset: z.enum(Object.keys(NEW_RESULT_PRESETS) as [NewResultPresetName, ...NewResultPresetName[]]).default('potassium-high'),
  status: z.enum(['final', 'preliminary', 'corrected', 'amended']).default('final'),
});
let newResults = 0;

/**
 * `POST /_new-result` `{ patient, preset?, status? }` → 201 with a laboratory Observation issued
 * now (default: potassium above its usual range), so a portal sees a result it has not seen.
 */
async function newResult(fhir: FhirServer, res: ServerResponse, body: unknown): Promise<void> {
  if (!fhir.create) return sendJson(res, 501, { error: 'not_supported', message: 'the FHIR server offers no creates' });
  const parsed = newResultSchema.safeParse(body ?? {});
  if (!parsed.success) return sendJson(res, 400, { error: 'new_result_invalid', message: z.prettifyError(parsed.error) });
  const { patient, preset, status } = parsed.data;
  newResults += 1;
  const id = `obs-new-${Date.now().toString(36)}-${newResults}`;
  sendJson(res, 201, await fhir.create(newLabResult({ id, patientId: patient, issuedAt: new Date(), preset, status })));
}

const readSchema = z.strictObject({ type: targetSchema.resourceType, patient: targetSchema.id });

/** `GET /_fhir-read?type=Consent&patient=pat-001` → 200 `{ resources: [...] }`: read-only, so a test can see what a client wrote. */
async function fhirRead(fhir: FhirServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!fhir.listForPatient) return sendJson(res, 501, { error: 'not_supported', message: 'the FHIR server offers no reads' });
  const parsed = readSchema.safeParse(Object.fromEntries(new URL(req.url ?? '/', 'http://sandbox').searchParams));
  if (!parsed.success) return sendJson(res, 400, { error: 'read_invalid', message: z.prettifyError(parsed.error) });
  sendJson(res, 200, { resources: await fhir.listForPatient(parsed.data.type, parsed.data.patient) });
}

const METHODS: Record<FaultPath, string[]> = {
  '/_knobs': ['GET', 'POST', 'DELETE'],
  '/_knobs/stats': ['GET'],
  '/_fhir-edit': ['POST'],
  '/_fhir-delete': ['POST'],
  '/_fhir-read': ['GET'],
  '/_new-result': ['POST'],
};

/** Answers a request to one of `FAULT_PATHS`. */
export async function faultRoute(options: FaultRoutesOptions, path: FaultPath, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!options.enabled) return sendJson(res, 403, { error: 'fault_routes_disabled', message: 'fault routes are off in production' });
  if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { error: 'fault_routes_local_only', message: 'fault routes answer loopback callers only' });
  const allowed = METHODS[path];
  if (!allowed.includes(req.method ?? '')) return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: allowed.join(', ') });
  try {
    const body = req.method === 'POST' ? await readJson(req) : undefined;
    if (path === '/_knobs') return knobsRoute(options, req, res, body);
    if (path === '/_knobs/stats') return sendJson(res, 200, options.stats);
    if (path === '/_fhir-edit') return await fhirEdit(options.fhir, res, body);
    if (path === '/_fhir-read') return await fhirRead(options.fhir, req, res);
    if (path === '/_new-result') return await newResult(options.fhir, res, body);
    return await fhirDelete(options.fhir, res, body);
  } catch (error) {
    if (error instanceof KnobsPatchError || error instanceof BodyError) {
      return sendJson(res, 400, { error: error.code, message: error.message });
    }
    const status = statusOf(error);
    const code = path === '/_fhir-delete' ? 'delete_refused' : path === '/_new-result' ? 'new_result_refused' : 'edit_refused';
    if (status && status < 500) return sendJson(res, status, { error: code, message: (error as Error).message });
    throw error;
  }
}

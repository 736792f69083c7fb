/**
 * Test-only endpoints that bend the sandbox: `/_knobs` (latency, token lifetime) and
 * `/_fhir-edit` (a server-side edit that bumps a resource's version, to force an If-Match
 * conflict in the app). The sandbox is a development EHR; these have no authentication.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Resource } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { FhirServer } from '../contracts';
import { KnobsPatchError, mergeKnobs, resetKnobs, type SandboxKnobs } from '../knobs';
import { sendJson } from './html';
import { BodyError, readJson } from './request-body';

export async function knobsRoute(knobs: SandboxKnobs, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === 'GET') return sendJson(res, 200, knobs);
  if (req.method === 'DELETE') return sendJson(res, 200, resetKnobs(knobs));
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
  try {
    return sendJson(res, 200, mergeKnobs(knobs, await readJson(req)));
  } catch (error) {
    if (error instanceof KnobsPatchError || error instanceof BodyError) {
      return sendJson(res, 400, { error: error.code, message: error.message });
    }
    throw error;
  }
}

const editSchema = z.strictObject({
  resourceType: z.string().regex(/^[A-Z][A-Za-z]+$/),
  id: z.string().regex(/^[A-Za-z0-9\-.]{1,64}$/),
  /** Top-level fields to set on the resource (resourceType, id and meta are kept). */
  set: z.record(z.string(), z.unknown()),
});

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** `POST /_fhir-edit` `{ resourceType, id, set: { … } }` → the new version of the resource. */
export async function fhirEditRoute(fhir: FhirServer, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
  if (!fhir.edit) return sendJson(res, 501, { error: 'not_supported', message: 'the FHIR server offers no edits' });
  let input: z.infer<typeof editSchema>;
  try {
    const parsed = editSchema.safeParse(await readJson(req));
    if (!parsed.success) return sendJson(res, 400, { error: 'edit_invalid', message: z.prettifyError(parsed.error) });
    input = parsed.data;
  } catch (error) {
    if (error instanceof BodyError) return sendJson(res, 400, { error: error.code, message: error.message });
    throw error;
  }
  try {
    const updated = await fhir.edit(input.resourceType, input.id, (current) => ({
      ...current,
      ...input.set,
      resourceType: current.resourceType,
      id: current.id,
      meta: current.meta,
    }) as Resource);
    return sendJson(res, 200, updated);
  } catch (error) {
    const status = statusOf(error);
    if (status && status < 500) return sendJson(res, status, { error: 'edit_refused', message: (error as Error).message });
    throw error;
  }
}

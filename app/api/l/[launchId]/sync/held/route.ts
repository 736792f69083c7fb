import { recordAudit } from '@/lib/audit';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLapsedLaunch, requireLaunch } from '@/lib/smart';
import { getStore, type HeldOwner, type LaunchRecord, type Store } from '@/lib/store';
import { handoverSchema, MAX_BODY, releaseSchema } from './schema';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ launchId: string }> };

/**
 * Unsent changes kept across a lapsed launch (lib/sync held-changes.ts). POST: a launch that
 * lapsed within the hour hands its unsent outbox entries over before its device erases its copy.
 * GET: the next launch of the same user and patient asks for them; DELETE: it says which it has
 * again. Every hand-over, refusal and release is audited (counts, never content).
 */
function ownerOf(launch: LaunchRecord): HeldOwner {
  if (!launch.patientId || !launch.fhirUser) throw new ProxyError('hold-refused', 'changes are kept for a user and a patient');
  return { issuerId: launch.issuerId, fhirUser: launch.fhirUser, patientId: launch.patientId };
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.length > MAX_BODY) throw new ProxyError('invalid-body', 'too many changes in one request');
  try {
    return JSON.parse(text || 'null');
  } catch {
    throw new ProxyError('invalid-body', 'not JSON');
  }
}

async function audit(store: Store, launch: LaunchRecord, subtype: string, outcome: 'success' | 'denied', outcomeCode: string): Promise<void> {
  await recordAudit(store.audit, {
    category: 'session', outcome, subtype, outcomeCode,
    actor: { fhirUser: launch.fhirUser, clientId: 'housecall', issuerId: launch.issuerId }, patientId: launch.patientId, launchId: launch.id,
  });
}

export async function POST(request: Request, ctx: Ctx): Promise<Response> {
  const { launchId } = await ctx.params;
  const store = await getStore();
  try {
    const launch = await requireLapsedLaunch(launchId, request, store.launches).catch(async (e: unknown) => {
      // A refused hand-over from a launch this browser owns is worth an audit line; a stranger's is not.
      const own = e instanceof ProxyError && e.code === 'hold-refused' ? await store.launches.getLaunch(launchId) : undefined;
      if (own) await audit(store, own, 'sync-changes-held', 'denied', 'hold-refused');
      throw e;
    });
    const owner = ownerOf(launch);
    const parsed = handoverSchema.safeParse(await readJson(request));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const held = await store.held.hold(owner, parsed.data.entries.map((e) => ({ entryId: e.id, body: JSON.stringify(e) })));
    if (held === 'full') {
      await audit(store, launch, 'sync-changes-held', 'denied', 'held-full');
      throw new ProxyError('hold-refused', 'too many changes are already kept for this person and patient');
    }
    await audit(store, launch, 'sync-changes-held', 'success', `count:${held}`);
    return fhirResponse(200, { held });
  } catch (e) {
    return outcomeResponse(e);
  }
}

export async function GET(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const store = await getStore();
    const launch = await requireLaunch((await ctx.params).launchId, request, store.launches);
    if (!launch.patientId || !launch.fhirUser) return fhirResponse(200, { entries: [] });
    const held = await store.held.list(ownerOf(launch));
    return fhirResponse(200, { entries: held.map((h) => JSON.parse(h.body) as unknown) });
  } catch (e) {
    return outcomeResponse(e);
  }
}

export async function DELETE(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const store = await getStore();
    const launch = await requireLaunch((await ctx.params).launchId, request, store.launches);
    const parsed = releaseSchema.safeParse(await readJson(request));
    if (!parsed.success) throw new ProxyError('invalid-body', parsed.error.issues[0]?.message);
    const released = await store.held.release(ownerOf(launch), parsed.data.ids);
    if (released > 0) await audit(store, launch, 'sync-changes-taken', 'success', `count:${released}`);
    return fhirResponse(200, { released });
  } catch (e) {
    return outcomeResponse(e);
  }
}

import { z } from 'zod';
import { fhirResponse, outcomeResponse, ProxyError } from '@/lib/fhir';
import { requireLaunch } from '@/lib/smart';
import { getStore, type DraftOwner } from '@/lib/store';

export const dynamic = 'force-dynamic';
type Ctx = { params: Promise<{ launchId: string }> };
const MAX = 200_000;

/** A DocumentReference draft: preliminary, for this launch's patient. */
const draftSchema = z.looseObject({ resourceType: z.literal('DocumentReference'), docStatus: z.literal('preliminary') });

async function owner(request: Request, launchId: string): Promise<{ store: Awaited<ReturnType<typeof getStore>>; key: DraftOwner }> {
  const store = await getStore();
  const launch = await requireLaunch(launchId, request, store.launches);
  if (!launch.patientId || !launch.fhirUser) throw new ProxyError('scope-not-granted', 'drafts need a user and a patient');
  return { store, key: { issuerId: launch.issuerId, fhirUser: launch.fhirUser, patientId: launch.patientId, name: 'note' } };
}

/** The clinician's unfinished note for this patient, if any (sealed at rest). */
export async function GET(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const { store, key } = await owner(request, (await ctx.params).launchId);
    const draft = await store.drafts.get(key);
    return draft ? fhirResponse(200, JSON.parse(draft.body)) : fhirResponse(404, null);
  } catch (e) {
    return outcomeResponse(e);
  }
}

export async function PUT(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const { store, key } = await owner(request, (await ctx.params).launchId);
    const text = await request.text();
    if (text.length > MAX) throw new ProxyError('invalid-body', 'draft too large');
    const parsed = draftSchema.safeParse(JSON.parse(text || 'null'));
    if (!parsed.success) throw new ProxyError('invalid-body', 'expected a preliminary DocumentReference');
    const at = await store.drafts.put(key, JSON.stringify(parsed.data));
    return fhirResponse(200, { savedAt: new Date(at).toISOString() });
  } catch (e) {
    return outcomeResponse(e instanceof SyntaxError ? new ProxyError('invalid-body', 'not JSON') : e);
  }
}

export async function DELETE(request: Request, ctx: Ctx): Promise<Response> {
  try {
    const { store, key } = await owner(request, (await ctx.params).launchId);
    await store.drafts.remove(key);
    return fhirResponse(204, null);
  } catch (e) {
    return outcomeResponse(e);
  }
}

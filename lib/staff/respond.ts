import 'server-only';
import { serverEnv } from '../env';
import { requireStaffApi, type StaffSession } from './guard';
import { staffOutcomeResponse, type StaffOutcomeCode } from './outcomes';

/** A staff API request body: an HTML form from the console's pages, or JSON from a script. */
export interface StaffBody {
  form: boolean;
  fields: Record<string, unknown>;
}

export async function readStaffBody(request: Request): Promise<StaffBody | undefined> {
  const type = request.headers.get('content-type') ?? '';
  try {
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      const data = await request.formData();
      return { form: true, fields: Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === 'string')) };
    }
    const json: unknown = await request.json();
    return json && typeof json === 'object' && !Array.isArray(json) ? { form: false, fields: json as Record<string, unknown> } : undefined;
  } catch {
    return undefined;
  }
}

/** A form goes back to its page (`done=` or `error=` in the query, codes only); JSON gets the outcome. */
export function staffAnswer(body: StaffBody | undefined, page: string, result: { error: StaffOutcomeCode; diagnostics?: string } | { done: string; json?: unknown }): Response {
  if (body?.form) {
    const url = new URL(page, serverEnv().HOUSECALL_URL);
    if ('error' in result) url.searchParams.set('error', result.error);
    else url.searchParams.set('done', result.done);
    return new Response(null, { status: 303, headers: { location: url.pathname + url.search, 'cache-control': 'no-store' } });
  }
  if ('error' in result) return staffOutcomeResponse(result.error, result.diagnostics);
  return new Response(JSON.stringify(result.json ?? { done: result.done }), { status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
}

/** What a support action on one launch starts with, once the role and the form are checked. */
export interface SupportAction<T> {
  session: StaffSession;
  launchId: string;
  /** The launch's page, where a form goes back to. */
  page: string;
  body: StaffBody | undefined;
  data: T;
}

/**
 * The shared start of the support actions on a launch (end it, release or discard its held
 * changes): a support role, a body, and fields that pass `schema` (a reason and a confirmation);
 * otherwise the answer to send.
 */
export async function startSupportAction<T>(request: Request, ctx: { params: Promise<{ launchId: string }> }, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } } }): Promise<SupportAction<T> | Response> {
  const { launchId } = await ctx.params;
  const page = `/staff/support/launch/${encodeURIComponent(launchId)}`;
  const session = await requireStaffApi(request, ['support']);
  if (session instanceof Response) return session;
  const body = await readStaffBody(request);
  const parsed = schema.safeParse(body?.fields);
  if (!parsed.success) return staffAnswer(body, page, { error: body ? 'staff-confirmation-required' : 'staff-invalid-request', diagnostics: parsed.error.issues[0]?.message });
  return { session, launchId, page, body, data: parsed.data };
}

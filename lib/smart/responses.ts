import 'server-only';
import { correlationId, logger } from '../telemetry';
import { LaunchError } from './errors';
import { renderErrorPage } from './error-page';
import type { SupportStore } from '../store';

/** Headers on every launch and callback response (no caching, no leaking the URL onwards). */
export const LAUNCH_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', pragma: 'no-cache' } as const;

export function launchErrorResponse(e: unknown, extra?: { newWindowUrl?: string; reference?: string }): Response {
  const id = extra?.reference ?? correlationId();
  const err = e instanceof LaunchError ? e : new LaunchError('authorization_error', { cause: e });
  if (!(e instanceof LaunchError)) logger.error({ event: 'launch.unexpected', correlationId: id, err: { name: (e as Error)?.name, message: (e as Error)?.message } }, 'unexpected launch failure');
  else logger.info({ event: 'launch.error', outcome: err.code, correlationId: id }, 'launch ended with an error page');
  const html = renderErrorPage({ code: err.code, correlationId: id, detail: err.detail, newWindowUrl: extra?.newWindowUrl });
  return new Response(html, { status: err.status, headers: { ...LAUNCH_HEADERS, 'content-type': 'text/html; charset=utf-8' } });
}

/**
 * The error page, with its reference recorded where support can look it up (the staff console,
 * lib/staff): the error code, the issuer when known, and the browser session it happened in, which
 * leads to that browser's launches. Recording is best effort: the person gets the page regardless.
 */
export async function launchErrorPage(
  e: unknown,
  where: { browserSessionId: string | null; issuerId?: string | null; launchId?: string | null },
  support: () => Promise<SupportStore>,
  extra?: { newWindowUrl?: string },
): Promise<Response> {
  const reference = correlationId();
  const code = e instanceof LaunchError ? e.code : 'authorization_error';
  try {
    await (await support()).recordErrorReference({ reference, code, issuerId: where.issuerId ?? null, browserSessionId: where.browserSessionId, launchId: where.launchId ?? null });
  } catch (error) {
    logger.warn({ event: 'launch.error_reference_not_recorded', correlationId: reference, err: { name: (error as Error)?.name } }, 'error reference not recorded');
  }
  return launchErrorResponse(e, { ...extra, reference });
}

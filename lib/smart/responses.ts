import 'server-only';
import { correlationId, logger } from '../telemetry';
import { LaunchError } from './errors';
import { renderErrorPage } from './error-page';

/** Headers on every launch and callback response (no caching, no leaking the URL onwards). */
export const LAUNCH_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', pragma: 'no-cache' } as const;

export function launchErrorResponse(e: unknown, extra?: { newWindowUrl?: string }): Response {
  const id = correlationId();
  const err = e instanceof LaunchError ? e : new LaunchError('authorization_error', { cause: e });
  if (!(e instanceof LaunchError)) logger.error({ event: 'launch.unexpected', correlationId: id, err: { name: (e as Error)?.name, message: (e as Error)?.message } }, 'unexpected launch failure');
  else logger.info({ event: 'launch.error', outcome: err.code, correlationId: id }, 'launch ended with an error page');
  const html = renderErrorPage({ code: err.code, correlationId: id, detail: err.detail, newWindowUrl: extra?.newWindowUrl });
  return new Response(html, { status: err.status, headers: { ...LAUNCH_HEADERS, 'content-type': 'text/html; charset=utf-8' } });
}

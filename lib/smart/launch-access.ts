import 'server-only';
import type { LaunchRecord, LaunchStore } from '../store';
import { readBrowserSession } from './session';

export type LaunchAccess =
  | { ok: true; launch: LaunchRecord; browserSessionId: string }
  | { ok: false; reason: 'no-session' | 'not-found' | 'other-session' }
  /** `endReason`: the launch store's (`signed-out`, `refresh-failed`, `access-expired`, `support-ended`). */
  | { ok: false; reason: 'ended'; endReason: string | null };

const LAUNCH_ID = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * Authentication for everything under /l/{launchId}: the browser session must own the launch
 * and the launch must not have ended. A launch id seen in another browser is worth nothing.
 */
export async function authenticateLaunch(launchId: string, cookieHeader: string | null, store: LaunchStore): Promise<LaunchAccess> {
  if (!LAUNCH_ID.test(launchId)) return { ok: false, reason: 'not-found' };
  const sid = await readBrowserSession(cookieHeader);
  if (!sid) return { ok: false, reason: 'no-session' };
  const launch = await store.getLaunch(launchId);
  if (!launch) return { ok: false, reason: 'not-found' };
  if (launch.browserSessionId !== sid) return { ok: false, reason: 'other-session' };
  if (launch.endedAt !== null) return { ok: false, reason: 'ended', endReason: launch.endReason };
  return { ok: true, launch, browserSessionId: sid };
}

import 'server-only';
import type { LaunchStore } from '../store';
import { findIssuerById, type SmartConfig } from './config';
import { hashState } from './begin-launch';

/**
 * When a callback arrives without the browser-session cookie (the browser blocked it inside the
 * EHR's frame), the launch cannot finish here. This gives the URL that starts the same launch in
 * a top-level window, where the cookie is first-party, instead of a loop or a bare error.
 */
export async function restartUrlForCallback(callbackUrl: URL, housecallUrl: string, deps: { config: SmartConfig; store: LaunchStore }): Promise<string | undefined> {
  const state = callbackUrl.searchParams.get('state');
  if (!state) return undefined;
  const pending = await deps.store.peekPending(hashState(state));
  const issuer = pending ? findIssuerById(deps.config, pending.issuerId) : undefined;
  if (!pending || !issuer) return undefined;
  const url = new URL('/launch', housecallUrl);
  url.searchParams.set('iss', issuer.fhirBaseUrl);
  if (pending.launch !== null) url.searchParams.set('launch', pending.launch);
  return url.toString();
}

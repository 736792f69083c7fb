import 'server-only';
import type { LaunchStore } from '../store';
import { findIssuerById, type SmartConfig } from './config';
import { hashState } from './begin-launch';

/**
 * When a callback arrives without the browser-session cookie (the browser blocked it inside the
 * EHR's frame), the launch cannot finish here. This gives the URL that starts a new launch in a
 * top-level window, where the cookie is first-party, instead of a loop or a bare error.
 *
 * It never replays the EHR's `launch` value: Epic's is single use, and the frame's authorization
 * already spent it. The new window makes a standalone launch of the same issuer instead; the
 * user signs in there (usually already signed in to the EHR) and who they are comes from the new
 * id_token, as for any launch. An EHR launch asks for the clinician's scopes again. An issuer that
 * accepts no standalone launch (`standalone: false`) gets no link: the person relaunches from the EHR.
 */
export async function restartUrlForCallback(callbackUrl: URL, housecallUrl: string, deps: { config: SmartConfig; store: LaunchStore }): Promise<string | undefined> {
  const state = callbackUrl.searchParams.get('state');
  if (!state) return undefined;
  const pending = await deps.store.peekPending(hashState(state));
  const issuer = pending ? findIssuerById(deps.config, pending.issuerId) : undefined;
  if (!pending || !issuer || !issuer.standalone) return undefined;
  const url = new URL('/launch', housecallUrl);
  url.searchParams.set('iss', issuer.fhirBaseUrl);
  if (pending.launch !== null) url.searchParams.set('scopes', 'clinician');
  return url.toString();
}

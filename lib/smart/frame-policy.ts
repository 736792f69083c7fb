import 'server-only';
import type { LaunchStore } from '../store';
import { findIssuerById, findIssuerByIss, type IssuerConfig, type SmartConfig } from './config';
import { hashState } from './begin-launch';

/**
 * Which origins may frame a response (CSP frame-ancestors). Embedded routes name only the
 * EHR origins of the issuer involved: the one in `iss` for /launch, the pending
 * authorization's for /redirect, the launch's for /l/{launchId}/…. Anything else may be
 * framed by no one but Housecall itself.
 */
export async function frameAncestorsFor(url: URL, config: SmartConfig, store: () => Promise<LaunchStore>): Promise<string[]> {
  let issuer: IssuerConfig | undefined;
  const path = url.pathname;
  if (path === '/launch') {
    const iss = url.searchParams.get('iss');
    issuer = iss ? findIssuerByIss(config, iss) : undefined;
  } else if (path === '/redirect') {
    const state = url.searchParams.get('state');
    const pending = state ? await (await store()).peekPending(hashState(state)) : undefined;
    issuer = pending ? findIssuerById(config, pending.issuerId) : undefined;
  } else {
    const m = /^\/(?:api\/)?l\/([A-Za-z0-9_-]{16,64})(?:\/|$)/.exec(path);
    if (m) {
      const launch = await (await store()).getLaunch(m[1]!);
      issuer = launch ? findIssuerById(config, launch.issuerId) : undefined;
    }
  }
  return ["'self'", ...(issuer?.ehrOrigins.map((o) => new URL(o).origin) ?? [])];
}

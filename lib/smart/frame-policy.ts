import 'server-only';
import type { LaunchStore } from '../store';
import { allEhrOrigins, findIssuerById, findIssuerByIss, type IssuerConfig, type SmartConfig } from './config';
import { hashState } from './begin-launch';

/**
 * Which origins may frame a response (CSP frame-ancestors). Embedded routes name only the
 * EHR origins of the issuer involved: the one in `iss` for /launch, the pending
 * authorization's for /redirect, the launch's for /l/{launchId}/…, the one named by
 * `?issuer=` (an issuer id, checked against the registry) for /signed-out, so that signing out
 * inside the EHR's frame ends on a page the browser shows and the device's copy is erased there.
 * The offline shell may be framed by any enabled issuer's EHR: it is the same static page for
 * everyone, renders nothing from the server, and the service worker answers an EHR frame's
 * failed navigation with it. The staff console (/staff) may be framed by no one at all.
 * Anything else may be framed by no one but Housecall itself.
 */
export async function frameAncestorsFor(url: URL, config: SmartConfig, store: () => Promise<LaunchStore>): Promise<string[]> {
  let issuer: IssuerConfig | undefined;
  const path = url.pathname;
  if (isStaffPath(path)) return ["'none'"];
  if (path === '/launch') {
    const iss = url.searchParams.get('iss');
    issuer = iss ? findIssuerByIss(config, iss) : undefined;
  } else if (path === '/redirect') {
    const state = url.searchParams.get('state');
    const pending = state ? await (await store()).peekPending(hashState(state)) : undefined;
    issuer = pending ? findIssuerById(config, pending.issuerId) : undefined;
  } else if (path === '/signed-out') {
    const id = url.searchParams.get('issuer');
    issuer = id ? findIssuerById(config, id) : undefined;
  } else if (path === '/offline') {
    return ["'self'", ...allEhrOrigins(config)];
  } else {
    const m = /^\/(?:api\/)?l\/([A-Za-z0-9_-]{16,64})(?:\/|$)/.exec(path);
    if (m) {
      const launch = await (await store()).getLaunch(m[1]!);
      issuer = launch ? findIssuerById(config, launch.issuerId) : undefined;
    }
  }
  return ["'self'", ...(issuer?.ehrOrigins.map((o) => new URL(o).origin) ?? [])];
}

/** The staff console and its API: never framed, their own cookies (lib/staff). */
export function isStaffPath(path: string): boolean {
  return path === '/staff' || path.startsWith('/staff/');
}

import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import { sealData, unsealData } from 'iron-session';
import { serverEnv } from '../env';
import { processSingleton } from '../process-singleton';

/**
 * The browser-session cookie: an iron-session seal of one random id, nothing else. Launch
 * records are keyed by their own ids and merely owned by this id, so any number of launches
 * can live side by side in one browser.
 *
 * The Set-Cookie header is written here rather than through Next's cookies() API because
 * Next 16 drops the `Partitioned` attribute, and inside a cross-site EHR iframe Chromium
 * keeps only `SameSite=None; Secure; Partitioned` cookies.
 */
export const SESSION_COOKIE = '__Host-hc_session';
const MAX_AGE_S = 12 * 60 * 60;

/**
 * The cookie secrets as iron-session password maps. Each secret's id is derived from the secret
 * itself, so it stays the same however the list is reordered or shortened during a rotation:
 * a cookie names the id it was sealed under, and opens while that secret is still listed.
 * Sealing uses the first (current) secret only. Cookies sealed before ids were derived carry
 * id 1; the oldest listed secret still opens those.
 */
export function cookiePasswords(secrets: string[]): { seal: Record<number, string>; unseal: Record<number, string> } {
  const current = secrets[0];
  if (current === undefined) throw new Error('no cookie secret');
  const unseal: Record<number, string> = { 1: secrets[secrets.length - 1]! };
  for (const s of secrets) unseal[secretId(s)] = s;
  return { seal: { [secretId(current)]: current }, unseal };
}

function secretId(secret: string): number {
  // 2..2^31: never 1 (kept for cookies sealed by a single-string password).
  return (createHash('sha256').update(secret).digest().readUInt32BE(0) % 0x7ffffffe) + 2;
}

function passwords(): { seal: Record<number, string>; unseal: Record<number, string> } {
  const configured = serverEnv().HOUSECALL_COOKIE_SECRET;
  if (configured) return cookiePasswords(configured);
  return processSingleton('dev-cookie-secret', () => cookiePasswords([randomBytes(32).toString('base64url')]));
}

function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The browser-session id carried by this request, or null when absent or not ours. */
export async function readBrowserSession(cookieHeader: string | null): Promise<string | null> {
  const sealed = readCookie(cookieHeader, SESSION_COOKIE);
  if (!sealed) return null;
  try {
    const data = await unsealData<{ sid?: unknown }>(decodeURIComponent(sealed), { password: passwords().unseal, ttl: MAX_AGE_S });
    return typeof data.sid === 'string' && data.sid.length >= 32 ? data.sid : null;
  } catch {
    return null;
  }
}

export async function newBrowserSession(): Promise<{ sid: string; setCookie: string }> {
  const sid = randomBytes(24).toString('base64url');
  const seal = await sealData({ sid }, { password: passwords().seal, ttl: MAX_AGE_S });
  return { sid, setCookie: `${SESSION_COOKIE}=${seal}; Path=/; Max-Age=${MAX_AGE_S}; HttpOnly; Secure; SameSite=None; Partitioned` };
}

/** The session of this request, or a new one with the header that sets it. */
export async function ensureBrowserSession(cookieHeader: string | null): Promise<{ sid: string; setCookie?: string }> {
  const sid = await readBrowserSession(cookieHeader);
  if (sid) return { sid };
  return newBrowserSession();
}

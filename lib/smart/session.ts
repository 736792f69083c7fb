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

/**
 * The password maps, and the seals already opened under them. An iron seal is opened with two
 * PBKDF2 derivations (WebCrypto jobs on the thread pool, about a millisecond each time even on an
 * idle machine), the dearest step of every authenticated request; the session id inside a given
 * seal never changes, so a seal this process has opened is remembered by its exact text, until
 * the expiry the seal itself carries. Only seals that opened are remembered (a forged or altered
 * one is never a key), and the memory belongs to one set of secrets: a new set (a restart with a
 * rotated HOUSECALL_COOKIE_SECRET, or tests that change it) starts empty, so a seal whose secret
 * was dropped is refused at once.
 */
interface Keyring {
  seal: Record<number, string>;
  unseal: Record<number, string>;
  opened: Map<string, { sid: string; expiresAt: number }>;
}

/** Seals remembered at most (oldest forgotten first): one entry per browser session in use. */
export const OPENED_SEALS_MAX = 10_000;

const keyrings = processSingleton('cookie-keyrings', () => new WeakMap<object, Keyring>());

function keyring(): Keyring {
  const configured = serverEnv().HOUSECALL_COOKIE_SECRET ?? processSingleton('dev-cookie-secret-list', () => [randomBytes(32).toString('base64url')]);
  let ring = keyrings.get(configured);
  if (!ring) keyrings.set(configured, (ring = { ...cookiePasswords(configured), opened: new Map() }));
  return ring;
}

/** The expiry an iron seal carries (ms since the epoch; its sixth field), or Infinity for a seal made without one. */
function sealExpiry(sealed: string): number {
  const field = sealed.split('~')[0]!.split('*')[5];
  return field && /^\d+$/.test(field) ? Number(field) : Infinity;
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
export async function readBrowserSession(cookieHeader: string | null, now: number = Date.now()): Promise<string | null> {
  const sealed = readCookie(cookieHeader, SESSION_COOKIE);
  if (!sealed) return null;
  const ring = keyring();
  const known = ring.opened.get(sealed);
  if (known && known.expiresAt > now) return known.sid;
  if (known) ring.opened.delete(sealed);
  let sid: string | null;
  try {
    const data = await unsealData<{ sid?: unknown }>(decodeURIComponent(sealed), { password: ring.unseal, ttl: MAX_AGE_S });
    sid = typeof data.sid === 'string' && data.sid.length >= 32 ? data.sid : null;
  } catch {
    return null;
  }
  if (sid) {
    if (ring.opened.size >= OPENED_SEALS_MAX) ring.opened.delete(ring.opened.keys().next().value!);
    ring.opened.set(sealed, { sid, expiresAt: sealExpiry(decodeURIComponent(sealed)) });
  }
  return sid;
}

export async function newBrowserSession(): Promise<{ sid: string; setCookie: string }> {
  const sid = randomBytes(24).toString('base64url');
  const seal = await sealData({ sid }, { password: keyring().seal, ttl: MAX_AGE_S });
  return { sid, setCookie: `${SESSION_COOKIE}=${seal}; Path=/; Max-Age=${MAX_AGE_S}; HttpOnly; Secure; SameSite=None; Partitioned` };
}

/** The session of this request, or a new one with the header that sets it. */
export async function ensureBrowserSession(cookieHeader: string | null): Promise<{ sid: string; setCookie?: string }> {
  const sid = await readBrowserSession(cookieHeader);
  if (sid) return { sid };
  return newBrowserSession();
}

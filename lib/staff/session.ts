import 'server-only';
import { randomBytes } from 'node:crypto';
import { decode, encode } from '@auth/core/jwt';
import { serverEnv } from '../env';
import { processSingleton } from '../process-singleton';
import { parseRolesClaim, type StaffSession } from './roles';

/**
 * The staff console's own cookies: their own names, `Path=/staff` (sent only to the console and
 * its API under /staff), `SameSite=Lax`, never `Partitioned` and never the patient-facing
 * `__Host-hc_session`. The session is an encrypted Auth.js JWT that holds who the staff member
 * is and their roles; it is never stored with the launches (no shared session store).
 */
export const STAFF_COOKIE_PATH = '/staff';
export const STAFF_SESSION_COOKIE = 'hc-staff.session';
/** Staff sessions last a working day at most; signing in again re-reads the roles. */
export const STAFF_SESSION_MAX_AGE_S = 8 * 60 * 60;

/** The secret that encrypts staff sessions: the configured one, or a per-process one in development. */
export function staffSessionSecret(): string {
  const configured = serverEnv().HOUSECALL_STAFF_SESSION_SECRET;
  if (configured) return configured;
  return processSingleton('dev-staff-session-secret', () => randomBytes(32).toString('base64url'));
}

function readCookie(cookieHeader: string | null, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  const parts = new Map<string, string>();
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const whole = parts.get(name);
  if (whole) return whole;
  // Auth.js splits a session larger than a cookie into `name.0`, `name.1`, …
  const chunks: string[] = [];
  for (let i = 0; parts.has(`${name}.${i}`); i++) chunks.push(parts.get(`${name}.${i}`)!);
  return chunks.length ? chunks.join('') : undefined;
}

/** The staff session this request carries, or null when absent, expired, tampered with or not ours. */
export async function readStaffSession(cookieHeader: string | null, secret: string = staffSessionSecret()): Promise<StaffSession | null> {
  const token = readCookie(cookieHeader, STAFF_SESSION_COOKIE);
  if (!token) return null;
  try {
    const claims = await decode({ token: decodeURIComponent(token), secret, salt: STAFF_SESSION_COOKIE });
    return claims ? toStaffSession(claims) : null;
  } catch {
    return null;
  }
}

/** The session's fields from the JWT's claims; null when it does not name a staff member. */
export function toStaffSession(claims: Record<string, unknown>): StaffSession | null {
  const staffId = typeof claims.sub === 'string' && claims.sub ? claims.sub : null;
  if (!staffId) return null;
  const name = typeof claims.name === 'string' && claims.name ? claims.name.slice(0, 120) : staffId;
  // Relative or absolute (Epic style): only a Practitioner, kept as `Practitioner/{id}`.
  const practitioner = typeof claims.fhirUser === 'string' ? /(?:^|\/)(Practitioner\/[A-Za-z0-9\-.]{1,64})$/.exec(claims.fhirUser)?.[1] : undefined;
  const fhirUser = practitioner;
  return { staffId, name, roles: parseRolesClaim(claims.roles), ...(fhirUser ? { fhirUser } : {}) };
}

/** A sealed staff session cookie value (tests, and the e2e sign-in's check of what it holds). */
export async function sealStaffSession(session: StaffSession, secret: string = staffSessionSecret(), maxAge = STAFF_SESSION_MAX_AGE_S): Promise<string> {
  return encode({ token: { sub: session.staffId, name: session.name, roles: session.roles, ...(session.fhirUser ? { fhirUser: session.fhirUser } : {}) }, secret, salt: STAFF_SESSION_COOKIE, maxAge });
}

/**
 * Who is signed in at the sandbox's EHR page, the way a real EHR knows its user: a session cookie
 * on the sandbox origin, set when the EHR page's user picks who they are. An EHR launch's
 * authorization checks that this session is the practitioner who made the launch, so a launch id
 * alone signs no one in (a real EHR's launch token is worthless without the EHR's own session).
 */
import { randomBytes } from 'node:crypto';

export const EHR_SESSION_COOKIE = 'sandbox_ehr_session';
const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_SESSIONS = 10_000;

export interface EhrSessions {
  /** Signs `practitionerId` in and returns the Set-Cookie header value for the EHR page's response. */
  signIn(practitionerId: string): string;
  /** The practitioner this request's EHR session belongs to, if any. */
  userOf(cookieHeader: string | undefined): string | undefined;
}

/** The value of cookie `name` in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function createEhrSessions(now: () => number = Date.now): EhrSessions {
  const sessions = new Map<string, { practitionerId: string; expiresAt: number }>();
  return {
    signIn(practitionerId) {
      const id = randomBytes(24).toString('base64url');
      sessions.set(id, { practitionerId, expiresAt: now() + SESSION_TTL_MS });
      while (sessions.size > MAX_SESSIONS) {
        const oldest = sessions.keys().next();
        if (oldest.done) break;
        sessions.delete(oldest.value);
      }
      // SameSite=None so the authorization inside the app's frame (redirected there from the app's
      // origin) still carries it; Secure is accepted on http for 127.0.0.1 and localhost.
      return `${EHR_SESSION_COOKIE}=${id}; Path=/; HttpOnly; Secure; SameSite=None; Max-Age=${SESSION_TTL_MS / 1000}`;
    },
    userOf(cookieHeader) {
      const id = cookieValue(cookieHeader, EHR_SESSION_COOKIE);
      const session = id ? sessions.get(id) : undefined;
      if (!session) return undefined;
      if (session.expiresAt <= now()) {
        sessions.delete(id!);
        return undefined;
      }
      return session.practitionerId;
    },
  };
}

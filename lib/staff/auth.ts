import 'server-only';
import NextAuth, { type NextAuthConfig } from 'next-auth';
import { serverEnv } from '../env';
import { logger } from '../telemetry';
import { auditStaffAction } from './guard';
import { parseRolesClaim } from './roles';
import { STAFF_COOKIE_PATH, STAFF_SESSION_COOKIE, STAFF_SESSION_MAX_AGE_S, staffSessionSecret, toStaffSession } from './session';

/**
 * Staff sign-in with Auth.js (next-auth 5): OpenID Connect against the organisation's staff
 * identity provider, authorization code with PKCE, state and nonce; the id_token's `roles`
 * claim decides what a staff member may do (lib/staff/roles.ts). The session is a JWT in the
 * console's own cookie (lib/staff/session.ts), so nothing is shared with the patient-facing
 * launch sessions. Its routes live under /staff/api/auth.
 */
export const STAFF_AUTH_BASE_PATH = '/staff/api/auth';
export const STAFF_PROVIDER_ID = 'staff-idp';

const cookie = (name: string, maxAge?: number) => ({
  name,
  // Secure on plain http too: browsers keep Secure cookies for localhost and 127.0.0.1.
  options: { httpOnly: true, sameSite: 'lax' as const, path: STAFF_COOKIE_PATH, secure: true, ...(maxAge ? { maxAge } : {}) },
});

function config(): NextAuthConfig {
  const env = serverEnv();
  return {
    basePath: STAFF_AUTH_BASE_PATH,
    secret: staffSessionSecret(),
    // The request URL is rebuilt from HOUSECALL_URL by the route handler, never from Host headers.
    trustHost: true,
    session: { strategy: 'jwt', maxAge: STAFF_SESSION_MAX_AGE_S },
    pages: { signIn: '/staff/signin', error: '/staff/signin' },
    cookies: {
      sessionToken: cookie(STAFF_SESSION_COOKIE),
      callbackUrl: cookie('hc-staff.callback-url'),
      csrfToken: cookie('hc-staff.csrf'),
      pkceCodeVerifier: cookie('hc-staff.pkce', 900),
      state: cookie('hc-staff.state', 900),
      nonce: cookie('hc-staff.nonce', 900),
    },
    providers: env.HOUSECALL_STAFF_ISSUER
      ? [{
          id: STAFF_PROVIDER_ID,
          name: 'your organisation',
          type: 'oidc',
          issuer: env.HOUSECALL_STAFF_ISSUER,
          clientId: env.HOUSECALL_STAFF_CLIENT_ID,
          clientSecret: env.HOUSECALL_STAFF_CLIENT_SECRET,
          client: { token_endpoint_auth_method: 'client_secret_basic' },
          authorization: { params: { scope: 'openid staff fhirUser' } },
          checks: ['pkce', 'state', 'nonce'],
          profile: (p: Record<string, unknown>) => ({
            id: String(p.sub),
            name: typeof p.name === 'string' ? p.name : String(p.sub),
            roles: parseRolesClaim(p.roles),
            fhirUser: typeof p.fhirUser === 'string' ? p.fhirUser : undefined,
          }),
        }]
      : [],
    callbacks: {
      // Staff without a known role are turned away at the door (the sign-in page says why).
      signIn: async ({ profile }) => {
        const roles = parseRolesClaim(profile?.roles);
        if (roles.length > 0) return true;
        if (profile?.sub) await auditStaffAction({ staffId: String(profile.sub), name: typeof profile.name === 'string' ? profile.name : String(profile.sub), roles: [] }, { action: 'staff-sign-in', outcome: 'denied', outcomeCode: 'staff-role-missing' });
        return false;
      },
      jwt: async ({ token, profile }) => {
        if (profile) {
          token.sub = String(profile.sub);
          token.name = typeof profile.name === 'string' ? profile.name : String(profile.sub);
          token.roles = parseRolesClaim(profile.roles);
          if (typeof profile.fhirUser === 'string') token.fhirUser = profile.fhirUser;
          delete token.email;
          delete token.picture;
        }
        return token;
      },
    },
    events: {
      signIn: async ({ profile }) => {
        const session = profile ? toStaffSession(profile as Record<string, unknown>) : null;
        if (session) await auditStaffAction(session, { action: 'staff-sign-in' });
      },
      signOut: async (message) => {
        const session = 'token' in message && message.token ? toStaffSession(message.token as Record<string, unknown>) : null;
        if (session) await auditStaffAction(session, { action: 'staff-sign-out' });
      },
    },
    logger: {
      error: (error) => logger.warn({ event: 'staff.auth_error', err: { name: error.name, type: (error as { type?: string }).type } }, 'staff sign-in error'),
      warn: (code) => logger.warn({ event: 'staff.auth_warning', code }, 'staff sign-in warning'),
      debug: () => {},
    },
  };
}

export const { handlers: staffAuthHandlers, signIn: staffSignIn, signOut: staffSignOut } = NextAuth(() => config());

/** Whether a staff identity provider is configured at all. */
export function staffSignInConfigured(): boolean {
  return Boolean(serverEnv().HOUSECALL_STAFF_ISSUER);
}

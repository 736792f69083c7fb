import 'server-only';
import { z } from 'zod';

/**
 * Server environment, validated once. A bad value stops start-up with a message naming the
 * variable; nothing else in lib/ reads process.env directly.
 */
const schema = z.object({
  /** Deployment kind. `production` refuses every unsafe opt-in. */
  HOUSECALL_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Public origin of Housecall, e.g. https://housecall.example.org. */
  HOUSECALL_URL: z.url().default('http://localhost:3000'),
  /** Path of the issuer registry. */
  HOUSECALL_SMART_CONFIG: z.string().min(1).default('smart-config.json'),
  /** SQLite file for the embedded store. */
  HOUSECALL_DB: z.string().min(1).default('.data/housecall.sqlite'),
  /** PostgreSQL instead of SQLite, for several app instances sharing one store: postgres://user@host:5432/db. */
  HOUSECALL_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\/\S+$/, 'expected a postgres:// URL').optional(),
  /**
   * 32 bytes, base64: encrypts tokens, verifiers, drafts and held changes at rest (AES-256-GCM).
   * Several, separated by commas or spaces, to rotate: the first seals, all of them open, and
   * `npm run store:reseal` seals everything again under the first so the others can be removed.
   */
  HOUSECALL_STORE_KEY: z.string().optional(),
  /**
   * Seals the browser-session cookie: one secret of at least 32 characters, or several separated
   * by commas or spaces for rotation. The first seals; all of them open (older ones until the
   * cookies they sealed have expired).
   */
  HOUSECALL_COOKIE_SECRET: z
    .string()
    .transform((v) => v.split(/[\s,]+/).filter(Boolean))
    .pipe(
      z.array(z.string().min(32, 'each secret needs at least 32 characters'))
        .min(1, 'give at least one secret')
        .max(8, 'at most 8 secrets')
        .refine((list) => new Set(list).size === list.length, 'a secret is listed twice'),
    )
    .optional(),
  /**
   * Whether Housecall's server (server.ts) answers the FHIR proxy's requests itself (`on`) or
   * leaves them to the Next.js route (`off`). Both run the same function and give the same
   * answers; `off` is for comparing the two (bench:proxy) and for ruling the direct path out.
   */
  HOUSECALL_FHIR_DIRECT: z.enum(['on', 'off']).default('on'),
  /** Named opt-in for plain-http issuers (the local sandbox). Refused in production. */
  HOUSECALL_ALLOW_INSECURE_ISSUERS: z.enum(['0', '1']).default('0'),
  /** How long a SMART configuration document is reused; 0 fetches it on every launch. */
  HOUSECALL_DISCOVERY_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  /** Bearer token Prometheus sends to /api/metrics; without it the endpoint answers only outside production. */
  HOUSECALL_METRICS_TOKEN: z.string().min(16).optional(),
  /**
   * Named opt-in: allow `'unsafe-eval'` in the script policy, for tools that need eval while
   * developing. Honoured only when HOUSECALL_ENV=development; refused in production.
   */
  HOUSECALL_CSP_ALLOW_EVAL: z.enum(['0', '1']).default('0'),
  /** Enables the `smart-health-it` issuer (the public SMART Health IT launcher) with this client id. */
  HOUSECALL_SMART_LAUNCHER_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/, 'letters, digits and . _ ~ - only, at most 128').optional(),
  /**
   * The organisation's staff identity provider (OpenID Connect issuer) for the staff console at
   * /staff; without it the console says sign-in is not configured. The sandbox's is `${SANDBOX_ORIGIN}/oidc`.
   */
  HOUSECALL_STAFF_ISSUER: z.url().optional(),
  /** The staff console's client at that identity provider (confidential, its own redirect URI). */
  HOUSECALL_STAFF_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._~-]{1,128}$/).default('housecall-staff'),
  HOUSECALL_STAFF_CLIENT_SECRET: z.string().min(16).optional(),
  /** Encrypts the staff session cookie (Auth.js JWT): at least 32 characters. Required in production. */
  HOUSECALL_STAFF_SESSION_SECRET: z.string().min(32, 'needs at least 32 characters').optional(),
  /**
   * 32 bytes, base64: the deployment key of pseudonymous user and patient references
   * (HMAC-SHA256 of issuer and id) shown to support staff. Required in production.
   */
  HOUSECALL_PSEUDONYM_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, 'expected 32 bytes, base64').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
});

export type ServerEnv = z.infer<typeof schema>;

let cached: ServerEnv | undefined;

export function serverEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  if (cached && source === process.env) return cached;
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid environment variable ${String(issue?.path.join('.'))}: ${issue?.message}`);
  }
  const env = parsed.data;
  if (env.HOUSECALL_ENV === 'production') {
    if (env.HOUSECALL_ALLOW_INSECURE_ISSUERS === '1') {
      throw new Error('HOUSECALL_ALLOW_INSECURE_ISSUERS=1 is refused when HOUSECALL_ENV=production');
    }
    // The redirect_uri and the session cookie (Secure) travel under this origin: TLS only.
    if (new URL(env.HOUSECALL_URL).protocol !== 'https:') throw new Error('HOUSECALL_URL must be https:// when HOUSECALL_ENV=production');
    if (env.HOUSECALL_CSP_ALLOW_EVAL === '1') throw new Error('HOUSECALL_CSP_ALLOW_EVAL=1 is refused when HOUSECALL_ENV=production');
    if (!env.HOUSECALL_STORE_KEY) throw new Error('HOUSECALL_STORE_KEY is required in production');
    if (!env.HOUSECALL_COOKIE_SECRET) throw new Error('HOUSECALL_COOKIE_SECRET is required in production');
    if (!env.HOUSECALL_PSEUDONYM_KEY) throw new Error('HOUSECALL_PSEUDONYM_KEY is required in production');
    if (env.HOUSECALL_STAFF_ISSUER) {
      if (new URL(env.HOUSECALL_STAFF_ISSUER).protocol !== 'https:') throw new Error('HOUSECALL_STAFF_ISSUER must be https:// when HOUSECALL_ENV=production');
      if (!env.HOUSECALL_STAFF_SESSION_SECRET) throw new Error('HOUSECALL_STAFF_SESSION_SECRET is required in production');
      if (!env.HOUSECALL_STAFF_CLIENT_SECRET) throw new Error('HOUSECALL_STAFF_CLIENT_SECRET is required in production');
    }
  }
  if (source === process.env) cached = env;
  return env;
}

/** For tests that change the environment between cases. */
export function resetServerEnvForTests(): void {
  cached = undefined;
}

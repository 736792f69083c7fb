/**
 * The sandbox's settings, read from the environment once at boot and validated.
 * The sandbox is a development and test EHR: its defaults are for a laptop, never for production.
 */
import { z } from 'zod';

export const DEFAULT_SANDBOX_ORIGIN = 'http://127.0.0.1:4010';
export const DEFAULT_HOUSECALL_URL = 'http://localhost:3000';
/** Known to the sandbox and to Housecall's development config; worthless anywhere else. */
export const DEFAULT_SANDBOX_CLIENT_SECRET = 'sandbox-only-secret-not-for-production';
/** The staff console's client secret (client `housecall-staff`); sandbox only. */
export const DEFAULT_STAFF_CLIENT_SECRET = 'sandbox-staff-secret-not-for-production';

export interface SandboxConfig {
  /** Where the sandbox is reached, e.g. `http://127.0.0.1:4010` (no trailing slash). */
  origin: string;
  /** Host name to listen on, taken from the origin. */
  host: string;
  /** Port to listen on, taken from the origin. */
  port: number;
  /** Housecall's own origin, e.g. `http://localhost:3000` (no trailing slash). */
  housecallUrl: string;
  /** Secret of the confidential client `housecall`. */
  housecallClientSecret: string;
  /** Secret of the staff console's client, `housecall-staff`. */
  staffClientSecret: string;
  /** How `housecall` authenticates at the token endpoint (`HOUSECALL_SANDBOX_CLIENT_AUTH`). */
  housecallClientAuth: 'client_secret_basic' | 'private_key_jwt';
  /**
   * False when `NODE_ENV` is `production`: the fault routes (`/_knobs`, `/_fhir-edit`,
   * `/_fhir-delete`) then answer 403, so nothing can bend a sandbox run that way.
   */
  development: boolean;
}

export class SandboxConfigError extends Error {
  readonly code = 'sandbox_config_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'SandboxConfigError';
  }
}

const originSchema = z
  .url({ protocol: /^https?$/ })
  .transform((value) => new URL(value))
  .refine((url) => url.pathname === '/' && !url.search && !url.hash, {
    message: 'must be an origin (scheme, host and port only, no path)',
  });

const envSchema = z.object({
  SANDBOX_ORIGIN: originSchema.default(new URL(DEFAULT_SANDBOX_ORIGIN)),
  HOUSECALL_URL: originSchema.default(new URL(DEFAULT_HOUSECALL_URL)),
  HOUSECALL_SANDBOX_CLIENT_SECRET: z.string().min(16).default(DEFAULT_SANDBOX_CLIENT_SECRET),
  HOUSECALL_STAFF_CLIENT_SECRET: z.string().min(16).default(DEFAULT_STAFF_CLIENT_SECRET),
  HOUSECALL_SANDBOX_CLIENT_AUTH: z.enum(['client_secret_basic', 'private_key_jwt']).default('client_secret_basic'),
  NODE_ENV: z.string().optional(),
});

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/** Reads and validates the sandbox's environment; throws a `SandboxConfigError` naming every bad variable. */
export function readSandboxConfig(env: Record<string, string | undefined> = process.env): SandboxConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key in envSchema.shape && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new SandboxConfigError(`Invalid sandbox environment:\n${z.prettifyError(parsed.error)}`);
  }
  const { SANDBOX_ORIGIN: origin, HOUSECALL_URL: housecall } = parsed.data;
  return {
    origin: origin.origin,
    host: origin.hostname.replace(/^\[|\]$/g, ''),
    port: portOf(origin),
    housecallUrl: housecall.origin,
    housecallClientSecret: parsed.data.HOUSECALL_SANDBOX_CLIENT_SECRET,
    staffClientSecret: parsed.data.HOUSECALL_STAFF_CLIENT_SECRET,
    housecallClientAuth: parsed.data.HOUSECALL_SANDBOX_CLIENT_AUTH,
    development: parsed.data.NODE_ENV !== 'production',
  };
}

import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { serverEnv } from '../env';
import { smartConfigSchema, type IssuerConfig, type SmartConfig } from './config-schema';

export type { IssuerConfig, SmartConfig, BackendConfig, CareTeamConfig } from './config-schema';

/**
 * Replaces `${NAME}` and `${NAME:-default}` in string values, so deployment addresses (the
 * sandbox origin) can move without editing the file. Secrets never live in this file: the
 * schema only names the variables that hold them.
 */
export function interpolate(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      throw new Error(`environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  }
  return value;
}

/** Parses and validates the registry; the message names the file and the bad field. */
export function parseSmartConfig(text: string, source: string, env: NodeJS.ProcessEnv = process.env): SmartConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const resolved = interpolate(json, env);
  const parsed = smartConfigSchema.safeParse(resolved);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    throw new Error(`${source}: ${where.replace(/^\./, '') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The registry id of the public SMART Health IT launcher (disabled in smart-config.json). */
export const LAUNCHER_ISSUER_ID = 'smart-health-it';

/**
 * Developers trying Housecall against the public SMART Health IT launcher
 * (https://launch.smarthealthit.org) set one variable, HOUSECALL_SMART_LAUNCHER_CLIENT_ID: it
 * enables the launcher's issuer entry with that client id (the launcher accepts any client id
 * unless its client validation is switched on). Without it the registry is used as written. The
 * entry itself (FHIR base, EHR origin, scopes) stays in smart-config.json, so nothing about
 * which servers Housecall talks to comes from the variable but the client id.
 */
export function withLauncherClient(config: SmartConfig, clientId: string | undefined): SmartConfig {
  if (!clientId) return config;
  if (!config.issuers.some((i) => i.id === LAUNCHER_ISSUER_ID)) {
    throw new Error(`HOUSECALL_SMART_LAUNCHER_CLIENT_ID is set but the registry has no "${LAUNCHER_ISSUER_ID}" issuer`);
  }
  return { ...config, issuers: config.issuers.map((i) => (i.id === LAUNCHER_ISSUER_ID ? { ...i, enabled: true, clientId } : i)) };
}

let cached: SmartConfig | undefined;

export function smartConfig(): SmartConfig {
  if (!cached) {
    const file = path.resolve(serverEnv().HOUSECALL_SMART_CONFIG);
    cached = withLauncherClient(parseSmartConfig(fs.readFileSync(file, 'utf8'), file), serverEnv().HOUSECALL_SMART_LAUNCHER_CLIENT_ID);
  }
  return cached;
}

/**
 * Normalises an issuer URL for comparison (RFC 3986 §6.2.2.1): scheme and host are
 * case-insensitive, so they are lower-cased (the WHATWG URL parser does it); trailing slashes
 * are dropped. The path keeps its case: it is case-sensitive.
 */
function normalise(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\/+$/, '');
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/+$/, '');
}

/**
 * Finds the enabled issuer whose FHIR base is exactly `iss`. Scheme and host case and a
 * trailing slash do not matter; anything else — another port, path (or path case), scheme,
 * userinfo, query or fragment — is not a match: no request leaves the server
 * for an issuer that is not in the registry.
 */
export function findIssuerByIss(config: SmartConfig, iss: string): IssuerConfig | undefined {
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    return undefined;
  }
  if (url.username || url.password || url.search || url.hash) return undefined;
  return config.issuers.find((i) => i.enabled && normalise(i.fhirBaseUrl) === normalise(iss));
}

export function findIssuerById(config: SmartConfig, id: string): IssuerConfig | undefined {
  return config.issuers.find((i) => i.id === id && i.enabled);
}

/** True when talking to this issuer over plain http is allowed by both opt-ins. */
export function insecureAllowed(issuer: IssuerConfig): boolean {
  return issuer.allowInsecureHttp && serverEnv().HOUSECALL_ALLOW_INSECURE_ISSUERS === '1' && serverEnv().HOUSECALL_ENV !== 'production';
}

/** Origins allowed to frame Housecall, over all enabled issuers. */
export function allEhrOrigins(config: SmartConfig): string[] {
  return [...new Set(config.issuers.filter((i) => i.enabled).flatMap((i) => i.ehrOrigins.map((o) => new URL(o).origin)))];
}

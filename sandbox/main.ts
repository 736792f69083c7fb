/**
 * The sandbox EHR: one Node HTTP server on its own origin (default `http://127.0.0.1:4010`),
 * routing by path prefix:
 *   /oidc/…                               authorization server (oidc-provider; issuer `${origin}/oidc`)
 *   /fhir/.well-known/smart-configuration SMART discovery
 *   /fhir/…                               FHIR R4 server
 *   /, /ehr, /portal, /conformance/…, /smart-style.json, /health   pages
 *   /_knobs, /_knobs/stats, /_fhir-edit, /_fhir-delete   fault routes (sandbox/README.md)
 *
 * `npx tsx sandbox/main.ts` starts it; tests call `startSandbox({ port: 0, … })`.
 */
import { realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import type { Seed } from '../fixtures/types';
import { createAuthServer, ISSUER_PATH, loadClients, serveSmartConfiguration, type AuthServer } from './auth';
import { readSandboxConfig } from './config';
import type { CreateFhirServer } from './contracts';
import { describeDateShift, readSandboxDates, type DateShift } from './dates/shift';
import { createStats, faultCounter, type SandboxStats } from './faults';
import { createKnobs, type SandboxKnobs } from './knobs';
import { createPages, sendText } from './pages';

const FHIR_PATH = '/fhir';

export type SandboxFhirFactory = CreateFhirServer;

export interface StartSandboxOptions {
  /** Port to listen on; 0 picks a free one. Defaults to the port of `SANDBOX_ORIGIN`. */
  port?: number;
  /** Interface to listen on. Defaults to the host of `SANDBOX_ORIGIN` (127.0.0.1 unless set). */
  host?: string;
  /** Public origin. Defaults to `SANDBOX_ORIGIN`, or `http://{host}:{port}` when `port` is 0. */
  origin?: string;
  /** Housecall's origin. Defaults to `HOUSECALL_URL`. */
  housecallUrl?: string;
  housecallClientSecret?: string;
  /** How the `housecall` client authenticates. Defaults to `HOUSECALL_SANDBOX_CLIENT_AUTH` (client_secret_basic). */
  housecallClientAuth?: 'client_secret_basic' | 'private_key_jwt';
  /**
   * Defaults to `buildSeed()` from fixtures/. Its dates move when `SANDBOX_DATES` (in `env`) is
   * `today` or a day (sandbox/dates/); with `fixed` or unset they stay as built.
   */
  seed?: Seed;
  /** Defaults to `createFhirServer` from sandbox/fhir/. */
  createFhirServer?: SandboxFhirFactory;
  env?: Record<string, string | undefined>;
}

export interface RunningSandbox {
  origin: string;
  fhirBase: string;
  issuer: string;
  housecallUrl: string;
  /** How the seed's dates were moved (`SANDBOX_DATES`), or null when they were kept as built. */
  dateShift: DateShift | null;
  knobs: SandboxKnobs;
  /** Counters reported at `GET /_knobs/stats`; `DELETE /_knobs` zeroes them. */
  stats: SandboxStats;
  auth: AuthServer;
  server: Server;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function defaultSeed(): Promise<Seed> {
  const { buildSeed } = await import('../fixtures/index');
  return buildSeed();
}

/** The seed with its dates moved to `toDay`, or as it is for `null` (`SANDBOX_DATES=fixed`). */
async function datedSeed(seed: Seed, toDay: string | null): Promise<{ seed: Seed; shift: DateShift | null }> {
  if (toDay === null) return { seed, shift: null };
  const { moveSeedDates } = await import('./dates/seed');
  return moveSeedDates(seed, toDay);
}

async function defaultFhirFactory(): Promise<SandboxFhirFactory> {
  const { createFhirServer } = await import('./fhir/index');
  return createFhirServer;
}

export async function startSandbox(options: StartSandboxOptions = {}): Promise<RunningSandbox> {
  const config = readSandboxConfig(options.env ?? process.env);
  const datesTo = readSandboxDates(options.env ?? process.env);
  const host = options.host ?? config.host;
  let handler: ((req: IncomingMessage, res: ServerResponse) => Promise<void>) | undefined;

  const server = createServer((req, res) => {
    if (!handler) {
      if (req.url === '/health') return sendText(res, 503, 'starting');
      return sendText(res, 503, 'The sandbox is starting; try again in a moment.');
    }
    handler(req, res).catch((error: unknown) => {
      console.error('[sandbox] request failed:', req.method, req.url?.split('?')[0], error instanceof Error ? error.message : error);
      if (!res.headersSent) sendText(res, 500, 'Internal error in the sandbox.');
      else res.end();
    });
  });
  await listen(server, options.port ?? config.port, host);

  try {
    const { port } = server.address() as AddressInfo;
    const urlHost = host.includes(':') ? `[${host}]` : host;
    const origin = (options.origin ?? (options.port === 0 ? `http://${urlHost}:${port}` : config.origin)).replace(/\/$/, '');
    const housecallUrl = (options.housecallUrl ?? config.housecallUrl).replace(/\/$/, '');
    const fhirBase = `${origin}${FHIR_PATH}`;
    const knobs = createKnobs();
    const stats = createStats();
    const onFault = faultCounter(stats);
    const { seed, shift: dateShift } = await datedSeed(options.seed ?? (await defaultSeed()), datesTo);

    const auth = await createAuthServer({
      origin,
      fhirBase,
      seed,
      knobs,
      stats,
      onFault,
      smartStyleUrl: `${origin}/smart-style.json`,
      lowContrastStyleUrl: `${origin}/smart-style-low-contrast.json`,
      clients: loadClients({
        HOUSECALL_URL: housecallUrl,
        SANDBOX_ORIGIN: origin,
        HOUSECALL_SANDBOX_CLIENT_SECRET: options.housecallClientSecret ?? config.housecallClientSecret,
        HOUSECALL_SANDBOX_CLIENT_AUTH: options.housecallClientAuth ?? config.housecallClientAuth,
        HOUSECALL_STAFF_CLIENT_SECRET: config.staffClientSecret,
      }),
    });
    const createFhir = options.createFhirServer ?? (await defaultFhirFactory());
    const fhir = await createFhir({
      baseUrl: fhirBase,
      seed,
      introspect: auth.introspect,
      knobs,
      onFault,
      oauth: {
        authorize: auth.endpoints.authorize,
        token: auth.endpoints.token,
        revoke: auth.endpoints.revoke,
        introspect: auth.endpoints.introspect,
      },
    });
    const pages = createPages({
      origin,
      fhirBase,
      housecallUrl,
      issuer: auth.issuer,
      seed,
      accounts: auth.accounts,
      createLaunch: auth.createLaunch,
      ehrSessions: auth.ehrSessions,
      knobs,
      stats,
      fhir,
      faultRoutesEnabled: config.development,
    });

    handler = async (req, res) => {
      const { pathname } = new URL(req.url ?? '/', origin);
      if (pathname === '/health') return sendText(res, 200, 'ok');
      if (pathname === ISSUER_PATH || pathname.startsWith(`${ISSUER_PATH}/`)) return auth.handle(req, res);
      if (pathname === `${FHIR_PATH}/.well-known/smart-configuration`) {
        return serveSmartConfiguration(req, res, auth.smartConfiguration, knobs, onFault);
      }
      if (pathname === FHIR_PATH || pathname.startsWith(`${FHIR_PATH}/`)) return fhir.handle(req, res);
      if (await pages.handle(req, res)) return;
      sendText(res, 404, 'Not found');
    };

    return {
      origin,
      fhirBase,
      issuer: auth.issuer,
      housecallUrl,
      dateShift,
      knobs,
      stats,
      auth,
      server,
      close: () => closeServer(server),
    };
  } catch (error) {
    await closeServer(server);
    throw error;
  }
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  startSandbox()
    .then((sandbox) => {
      console.log(
        `Sandbox EHR ready at ${sandbox.origin} — EHR ${sandbox.origin}/ehr · portal ${sandbox.origin}/portal · ` +
          `FHIR ${sandbox.fhirBase} · issuer ${sandbox.issuer} · app ${sandbox.housecallUrl}`,
      );
      console.log(`[sandbox] ${describeDateShift(sandbox.dateShift)}`);
      const stop = () => void sandbox.close().then(() => process.exit(0));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch((error: unknown) => {
      console.error('Sandbox failed to start:', error instanceof Error ? error.message : error);
      process.exit(1);
    });
}

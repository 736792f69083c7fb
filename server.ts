/**
 * Housecall's production server: Next.js for every page and route, with the FHIR proxy's
 * requests (`/api/l/{launchId}/fhir/…`, the busiest path by far) answered directly by the
 * proxy (lib/server/fhir-direct.ts), without Next.js's work around a route. `npm start`, the
 * demo, the end-to-end tests and the benchmarks all run this; `next dev` still serves the same
 * proxy through its route.
 *
 *   node --conditions=react-server --import tsx server.ts [-p port] [-H hostname]
 *
 * `--conditions=react-server` lets the server's own copy of lib/ import `server-only`, as the
 * scripts beside it do. The port is `-p`, else PORT, else 3000.
 */
import http from 'node:http';

function arg(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  // Before Next.js or any of lib/ is loaded: both read it once.
  Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV ?? 'production' });
  const port = Number(arg('-p') ?? process.env.PORT ?? 3000);
  const hostname = arg('-H');
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: process.cwd(), port, ...(hostname ? { hostname } : {}) });
  await app.prepare();
  const nextHandler = app.getRequestHandler();
  const [{ serveFhirProxy }, { fhirDirect }, { serverEnv }, { logger }] = await Promise.all([
    import('./lib/fhir/proxy-route'),
    import('./lib/server/fhir-direct'),
    import('./lib/env'),
    import('./lib/telemetry'),
  ]);
  const direct = fhirDirect({
    serve: serveFhirProxy,
    base: serverEnv().HOUSECALL_URL,
    onError: (error) => logger.error({ event: 'server.direct_failed', err: { name: (error as Error)?.name } }, 'FHIR proxy request failed in the server'),
  });
  const directOn = serverEnv().HOUSECALL_FHIR_DIRECT === 'on';
  const server = http.createServer((req, res) => {
    if (!directOn || !direct(req, res)) void nextHandler(req, res);
  });
  server.listen(port, hostname, () => {
    console.log(`Housecall on http://${hostname ?? 'localhost'}:${port} (FHIR proxy ${directOn ? 'served directly' : 'through Next.js'})`);
  });
  const stop = () => {
    server.close();
    server.closeAllConnections();
    void app.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

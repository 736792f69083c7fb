/**
 * How a built Housecall is started (server.ts: Next.js, with the FHIR proxy answered directly),
 * by `npm start`, the demo, the end-to-end tests and the benchmarks alike. Arguments for
 * `node` (process.execPath), after any flags of the caller's own (`--cpu-prof`).
 */
export function housecallServerArgs(port: number | string, options: { hostname?: string; nodeFlags?: string[] } = {}): string[] {
  return [...(options.nodeFlags ?? []), '--conditions=react-server', '--import', 'tsx', 'server.ts', '-p', String(port), ...(options.hostname ? ['-H', options.hostname] : [])];
}

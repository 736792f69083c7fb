/**
 * Test support for the authorization server: a sandbox on a free port with a stub FHIR server,
 * a tiny cookie-carrying "browser" that follows redirects one by one, and OAuth helpers.
 * Used only by sandbox/*.test.ts.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { buildSeed } from '../../fixtures/index';
import type { Resource } from '@medplum/fhirtypes';
import { startSandbox, type RunningSandbox, type SandboxFhirFactory } from '../main';
import { HOUSECALL_SECRET, HOUSECALL_URL } from './scripted-client';

export * from './scripted-client';


/**
 * A FHIR server stand-in: answers every request with what introspection says about its bearer
 * token, and edits seeded resources (without keeping the result).
 */
export const stubFhirServer: SandboxFhirFactory = async ({ introspect, seed }) => ({
  async handle(req, res) {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const info = token ? await introspect(token) : null;
    res.statusCode = info ? 200 : 401;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ path: req.url, info }));
  },
  async edit(resourceType, id, change) {
    const all: Resource[] = [...seed.patients.flatMap((p) => [p.patient, ...p.resources]), ...seed.shared];
    const found = all.find((r) => r.resourceType === resourceType && r.id === id);
    if (!found) throw Object.assign(new Error(`${resourceType}/${id} not found`), { status: 404 });
    return change(structuredClone(found));
  },
});

export function startTestSandbox(): Promise<RunningSandbox> {
  return startSandbox({
    port: 0,
    host: '127.0.0.1',
    housecallUrl: HOUSECALL_URL,
    housecallClientSecret: HOUSECALL_SECRET,
    seed: buildSeed(),
    createFhirServer: stubFhirServer,
    env: {},
  });
}

/**
 * One sandbox for the whole test file: started before its first test and closed after its last,
 * handed to `use`; with `resetKnobs`, its fault knobs are cleared before or after every test.
 */
export function useTestSandbox(use: (sandbox: RunningSandbox) => void, options: { resetKnobs?: 'before-each' | 'after-each' } = {}): void {
  let sandbox: RunningSandbox | undefined;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    use(sandbox);
  });
  if (options.resetKnobs === 'before-each') beforeEach(() => resetKnobs(sandbox!));
  if (options.resetKnobs === 'after-each') afterEach(() => resetKnobs(sandbox!));
  afterAll(() => sandbox?.close());
}

/** `POST /_knobs` with `patch`; throws unless the sandbox accepted it. */
export async function setKnobs(sandbox: RunningSandbox, patch: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${sandbox.origin}/_knobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(patch),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (response.status !== 200) throw new Error(`knobs refused (${response.status}): ${JSON.stringify(json)}`);
  return json;
}

/** `DELETE /_knobs`: every knob back to its default, stats zeroed. */
export async function resetKnobs(sandbox: RunningSandbox): Promise<void> {
  const response = await fetch(`${sandbox.origin}/_knobs`, { method: 'DELETE' });
  if (response.status !== 200) throw new Error(`knobs reset failed (${response.status})`);
  await response.arrayBuffer();
}

/** `GET /_knobs/stats`. */
export async function getStats(sandbox: RunningSandbox): Promise<RunningSandbox['stats']> {
  return (await (await fetch(`${sandbox.origin}/_knobs/stats`)).json()) as RunningSandbox['stats'];
}

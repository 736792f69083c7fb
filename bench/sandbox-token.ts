/**
 * A clinician's access token for the in-process sandbox, through a scripted EHR launch with
 * PKCE and the scopes smart-config.json asks for: what the benchmarks call the FHIR server with.
 */
import { readFileSync } from 'node:fs';
import { startSandbox, type RunningSandbox } from '../sandbox/main';
import { HOUSECALL_REDIRECT, HOUSECALL_SECRET, HOUSECALL_URL, TestBrowser, authorizeUrl, ehrLaunch, pkcePair, tokenRequest, type SandboxEndpoints } from '../sandbox/auth/scripted-client';

export async function scriptedLaunch(sandbox: SandboxEndpoints, practitionerId: string, patientId: string, redirectUri: string = HOUSECALL_REDIRECT): Promise<string> {
  const config = JSON.parse(readFileSync(new URL('../smart-config.json', import.meta.url), 'utf8')) as { issuers: { id: string; scopes: { clinician: string[] } }[] };
  const scopes = config.issuers.find((i) => i.id === 'sandbox')!.scopes.clinician;
  const browser = new TestBrowser();
  const { launch } = await ehrLaunch(sandbox, browser, practitionerId, patientId);
  const { verifier, challenge } = pkcePair();
  const { url } = await browser.follow(authorizeUrl(sandbox, { scope: ['launch', 'openid', 'fhirUser', ...scopes].join(' '), launch, challenge, redirectUri }), redirectUri);
  const code = url.searchParams.get('code');
  if (!code) throw new Error(`launch failed: ${url.href}`);
  const { status, json } = await tokenRequest(sandbox, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri });
  if (status !== 200 || typeof json.access_token !== 'string') throw new Error(`token exchange failed: ${status}`);
  return json.access_token;
}

/** The sandbox in this process, on a free port, with the client Housecall is registered as. */
export function startBenchSandbox(): Promise<RunningSandbox> {
  return startSandbox({ port: 0, host: '127.0.0.1', housecallUrl: HOUSECALL_URL, housecallClientSecret: HOUSECALL_SECRET, env: {} });
}

/** A sandbox running in another process, found through its SMART discovery document. */
export async function remoteSandbox(origin: string): Promise<SandboxEndpoints> {
  const fhirBase = `${origin}/fhir`;
  const res = await fetch(`${fhirBase}/.well-known/smart-configuration`);
  if (!res.ok) throw new Error(`sandbox discovery: ${res.status}`);
  const doc = (await res.json()) as { authorization_endpoint: string; token_endpoint: string };
  return { origin, fhirBase, auth: { endpoints: { authorize: doc.authorization_endpoint, token: doc.token_endpoint } } };
}

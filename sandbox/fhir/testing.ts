/**
 * Test harness: the FHIR server behind a real node:http server on an ephemeral port at
 * 127.0.0.1, with a fake introspection that knows a fixed set of tokens.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { buildSeed } from '../../fixtures/index';
import type { FhirServer, TokenInfo } from '../contracts';
import { createKnobs, mergeKnobs, resetKnobs, type SandboxKnobs } from '../knobs';
import { createFhirServer } from './index';

const FAR_FUTURE = 4_102_444_800; // 2100-01-01

function token(scope: string, extra: Partial<TokenInfo> = {}): TokenInfo {
  return { scope, clientId: 'housecall-test', sub: 'prac-001', fhirUser: 'Practitioner/prac-001', exp: FAR_FUTURE, ...extra };
}

/** Bearer tokens the fake introspection accepts; the key is the token string. */
export const TOKENS = {
  clinician: token('openid fhirUser launch user/*.cruds'),
  clinicianV1: token('openid fhirUser user/*.read user/*.write'),
  clinicianReadOnly: token('openid fhirUser user/*.rs'),
  clinicianObservationsOnly: token('user/Observation.rs'),
  patient: token('openid fhirUser launch/patient patient/*.rs patient/Observation.c patient/Observation.u', {
    sub: 'pat-001',
    fhirUser: 'Patient/pat-001',
    patient: 'pat-001',
  }),
  /** What Housecall's patient launch is granted: read its record, record its own consents. */
  patientConsent: token('openid fhirUser launch/patient patient/*.rs patient/Consent.cru', { sub: 'pat-001', fhirUser: 'Patient/pat-001', patient: 'pat-001' }),
  /** What Housecall's patient launch is granted for messages (issue 14). */
  patientMessages: token('openid fhirUser launch/patient patient/*.rs patient/Communication.cru', { sub: 'pat-001', fhirUser: 'Patient/pat-001', patient: 'pat-001' }),
  patientV1: token('launch/patient patient/*.read patient/AllergyIntolerance.write', { sub: 'pat-001', fhirUser: 'Patient/pat-001', patient: 'pat-001' }),
  patientLabsOnly: token('patient/Observation.rs?category=laboratory', { sub: 'pat-001', patient: 'pat-001' }),
  patientScopeNoContext: token('patient/*.rs', { sub: 'pat-001' }),
  expired: token('user/*.cruds', { exp: 1_000_000 }),
  noResourceScopes: token('openid fhirUser'),
  /** A SMART Backend Services token (client_credentials): system scopes, no user, no patient. */
  backend: { scope: 'system/Group.rs system/Patient.rs system/Observation.rs', clientId: 'housecall-backend', sub: 'housecall-backend', system: true, exp: FAR_FUTURE },
  /** A backend token whose scope string also names user and patient scopes: only its system ones count. */
  backendWithUserScopes: { scope: 'system/Group.rs user/*.cruds patient/*.rs', clientId: 'housecall-backend', sub: 'housecall-backend', patient: 'pat-001', system: true, exp: FAR_FUTURE },
  /** A user's token carrying a system scope string: a user token never acts through system scopes. */
  clinicianWithSystemScope: token('openid fhirUser system/*.rs user/Patient.rs'),
  /** Same rights as `clinician`, issued to another client (for per-client fault knobs). */
  otherClient: token('openid fhirUser user/*.cruds', { clientId: 'other-app' }),
} satisfies Record<string, TokenInfo>;

export type TokenName = keyof typeof TOKENS;

export interface FhirResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: TokenName | null;
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface TestServer {
  /** Absolute FHIR base, e.g. http://127.0.0.1:41234/fhir */
  base: string;
  fhir: FhirServer;
  /** The sandbox's knob object; `setKnobs` merges into it as `POST /_knobs` does. */
  knobs: SandboxKnobs;
  setKnobs(patch: unknown): void;
  /** Puts every knob back to its default and zeroes `faults`. */
  resetKnobs(): void;
  /** Times each fault knob fired. */
  faults: Record<string, number>;
  /** Sends a request; `path` is relative to the base (e.g. `/Patient/pat-001`) or absolute. */
  request<T = Bundle>(path: string, options?: RequestOptions): Promise<FhirResponse<T>>;
  close(): Promise<void>;
}

/**
 * The server the FHIR tests talk to: its knobs at their defaults, except that Observation searches
 * may name no category (`observationSearchFilter` off), so tests of other mechanics can search
 * them plainly; faults.test.ts turns it on.
 */
export async function startTestServer(): Promise<TestServer> {
  const lenient = { observationSearchFilter: null } as const;
  const knobs = { ...createKnobs(), ...lenient };
  const faults: Record<string, number> = {};
  let fhir: FhirServer | undefined;
  const server = createServer((req, res) => {
    if (!fhir) {
      res.writeHead(503).end();
      return;
    }
    void fhir.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}/fhir`;
  const tokens = TOKENS as Record<string, TokenInfo>;
  fhir = await createFhirServer({
    baseUrl: base,
    seed: buildSeed(),
    knobs,
    onFault: (knob) => {
      faults[knob] = (faults[knob] ?? 0) + 1;
    },
    introspect: async (t) => tokens[t] ?? null,
    oauth: { authorize: 'http://127.0.0.1:9/oidc/auth', token: 'http://127.0.0.1:9/oidc/token', revoke: 'http://127.0.0.1:9/oidc/token/revocation' },
  });
  const server_ = fhir;

  async function request<T>(path: string, options: RequestOptions = {}): Promise<FhirResponse<T>> {
    const { token: name = 'clinician', method = 'GET', body, headers = {} } = options;
    const init: RequestInit = {
      method,
      headers: {
        accept: 'application/fhir+json',
        ...(name ? { authorization: `Bearer ${name}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/fhir+json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    };
    const res = await fetch(path.startsWith('http') ? path : `${base}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }

  return {
    base,
    fhir: server_,
    knobs,
    setKnobs: (patch) => void mergeKnobs(knobs, patch),
    resetKnobs: () => {
      Object.assign(resetKnobs(knobs), lenient);
      for (const key of Object.keys(faults)) delete faults[key];
    },
    faults,
    request,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The resources of a Bundle's entries with the given search mode (default: all). */
export function entries(bundle: Bundle, mode?: 'match' | 'include'): Resource[] {
  return (bundle.entry ?? []).filter((e) => !mode || e.search?.mode === mode).flatMap((e) => (e.resource ? [e.resource] : []));
}

export function link(bundle: Bundle, relation: string): string | undefined {
  return bundle.link?.find((l) => l.relation === relation)?.url;
}

export function issueCode(body: unknown): string | undefined {
  return (body as { issue?: { code?: string }[] } | undefined)?.issue?.[0]?.code;
}

import { z } from 'zod';

/** One EHR authorization server Housecall accepts launches from. */
const clientAuth = z.discriminatedUnion('method', [
  z.object({ method: z.literal('none') }),
  z.object({ method: z.literal('client_secret_basic'), secretEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/) }),
  z.object({
    method: z.literal('private_key_jwt'),
    keyEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    alg: z.enum(['RS384', 'ES384']),
    kid: z.string().min(1),
  }),
]);

/** Resource scopes in SMART v2 form (`patient/Observation.rs`); converted to v1 for servers without permission-v2. */
const resourceScope = z.string().regex(/^(patient|user)\/(\*|[A-Z][A-Za-z]+)\.(c?r?u?d?s?)$/, 'a SMART v2 resource scope such as patient/Observation.rs');

/** A SMART Backend Services scope (`system/Group.rs`): the backend client reads across patients, never as a user. */
const systemScope = z.string().regex(/^system\/(\*|[A-Z][A-Za-z]+)\.(c?r?u?d?s?)$/, 'a SMART v2 system scope such as system/Group.rs');

/**
 * SMART Backend Services for this issuer (client_credentials with a private_key_jwt assertion):
 * the care-team dashboard reads a practitioner's panel with it. Its own client id and key, kept
 * apart from the launch client's, so either can be rotated or revoked alone.
 */
const backendSchema = z.strictObject({
  clientId: z.string().min(1),
  keyEnv: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
  alg: z.enum(['RS384', 'ES384']),
  kid: z.string().min(1),
  scopes: z.array(systemScope).min(1),
});

const securityLabel = z.strictObject({ system: z.url(), code: z.string().min(1).max(64) });

/**
 * Who may break the glass at this issuer and what it never opens. The id_token proves only who
 * the user is (`fhirUser`), not their role, so the privilege is a list of users the deployment's
 * privacy office keeps, matched on the normalised `fhirUser` (`Practitioner/…`,
 * `PractitionerRole/…`). Nobody is allowed unless listed.
 */
const breakGlassSchema = z.strictObject({
  allowedUsers: z.array(z.string().regex(/^(Practitioner|PractitionerRole)\/[A-Za-z0-9\-.]{1,64}$/, 'Practitioner/{id} or PractitionerRole/{id}')).max(10_000).default([]),
  /** Labels break-glass never overrides (default: substance-use records, 42 CFR Part 2). */
  neverOverrides: z.array(securityLabel).max(50).default([{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' }]),
}).default({ allowedUsers: [], neverOverrides: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' }] });

export const issuerSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,40}$/, 'lowercase letters, digits and dashes'),
  name: z.string().min(1),
  vendor: z.enum(['sandbox', 'epic', 'oracle-health', 'smart-health-it', 'other']),
  enabled: z.boolean(),
  fhirBaseUrl: z.url(),
  clientId: z.string(),
  clientAuth,
  /** Plain-http issuers need this and HOUSECALL_ALLOW_INSECURE_ISSUERS=1; production refuses both. */
  allowInsecureHttp: z.boolean().default(false),
  /** Origins allowed to frame Housecall (CSP frame-ancestors). */
  ehrOrigins: z.array(z.url()).default([]),
  access: z.enum(['online', 'offline']).default('online'),
  /**
   * What each workflow asks for. `patient` is the portal's base (who the patient is, consents, the
   * summary); `portalParts` names the scopes each part of the portal needs beyond it (`results`,
   * `messages`, `appointments`, …; lib/smart/portal-parts.ts). A patient launch asks for the base
   * and every part; a part the EHR did not grant says so and asks again for its own scopes.
   */
  scopes: z.object({
    clinician: z.array(resourceScope).min(1),
    patient: z.array(resourceScope).min(1),
    portalParts: z.record(z.string().regex(/^[a-z][a-z-]{1,30}$/, 'a part name in lowercase letters and dashes'), z.array(resourceScope).min(1)).default({}),
  }),
  /** Extra headers for discovery, e.g. Epic's Epic-Client-ID. */
  discoveryHeaders: z.record(z.string(), z.string()).default({}),
  /** When the id_token issuer differs from the FHIR base and discovery does not say it. */
  idTokenIssuer: z.url().optional(),
  /** Allow a standalone (portal) launch for this issuer; false refuses one (`standalone_not_allowed`). */
  standalone: z.boolean().default(true),
  /**
   * This issuer's standalone logins are always the patient: a standalone id_token without
   * `fhirUser` stands for `Patient/{patient}` (lib/smart/decide-user.ts). Only for EHRs whose
   * patient-facing id_token carries no `fhirUser`; never applies to an EHR launch.
   */
  standaloneUserIsPatient: z.boolean().default(false),
  /**
   * The v3 ActReason purpose of use clinicians at this issuer act for (consent decisions and
   * audit); break-glass replaces it with BTG while in force. Treatment unless the deployment says otherwise.
   */
  purposeOfUse: z.string().regex(/^[A-Z]{2,20}$/, 'a v3 ActReason code such as TREAT').default('TREAT'),
  breakGlass: breakGlassSchema,
  backend: backendSchema.optional(),
}).refine((i) => !i.enabled || i.clientId.length > 0, { message: 'an enabled issuer needs a clientId', path: ['clientId'] })
  // Oracle Health (Cerner) refuses wildcard resource scopes: each resource type must be named.
  .refine((i) => i.vendor !== 'oracle-health' || ![...i.scopes.clinician, ...i.scopes.patient, ...Object.values(i.scopes.portalParts).flat()].some((sc) => /\/\*\./.test(sc)), { message: 'oracle-health does not grant wildcard scopes (patient/*.rs): name each resource type', path: ['scopes'] })
  .refine((i) => !(i.standaloneUserIsPatient && !i.standalone), { message: 'standaloneUserIsPatient needs standalone launches (standalone: true)', path: ['standaloneUserIsPatient'] });

/**
 * The care-team dashboard (/staff/care-team): which issuer's panels it reads, what it flags, and
 * where "Open chart" takes a clinician (the EHR's own chart, which launches Housecall there).
 */
const careTeamSchema = z.strictObject({
  /** The issuer whose `backend` client reads the panels. */
  issuerId: z.string(),
  /**
   * A source whose newest data is older than this is flagged stale. A whole number, or a string
   * of digits so that it can come from the environment (`"${HOUSECALL_STALE_AFTER_DAYS:-365}"`).
   */
  staleAfterDays: z.union([z.number(), z.string().regex(/^\d{1,4}$/, 'a whole number of days').transform(Number)]).pipe(z.number().int().min(1).max(3650)).default(365),
  /** Results and consent changes within this many days count as recent. */
  recentDays: z.number().int().min(1).max(3650).default(90),
  /** Patients shown at most (the rest are counted, not fetched). */
  maxPatients: z.number().int().min(1).max(500).default(50),
  /** Clinicians (by fhirUser) who may see their own panel without the clinical-lead role. */
  allowedClinicians: z.array(z.string().regex(/^Practitioner\/[A-Za-z0-9\-.]{1,64}$/, 'Practitioner/{id}')).max(10_000).default([]),
  /** The EHR's address for a patient's chart; `{patient}` and `{practitioner}` are filled in, URL-encoded. */
  openChartUrl: z.url().refine((u) => u.includes('%7Bpatient%7D') || u.includes('{patient}'), { message: 'must contain {patient}' }),
});

export const smartConfigSchema = z.object({
  issuers: z.array(issuerSchema).min(1),
  careTeam: careTeamSchema.optional(),
}).refine((c) => new Set(c.issuers.map((i) => i.id)).size === c.issuers.length, { message: 'issuer ids must be unique', path: ['issuers'] })
  .refine((c) => !c.careTeam || c.issuers.some((i) => i.id === c.careTeam?.issuerId && i.backend), { message: 'careTeam.issuerId must name an issuer with a backend client', path: ['careTeam', 'issuerId'] });

export type IssuerConfig = z.infer<typeof issuerSchema>;
export type SmartConfig = z.infer<typeof smartConfigSchema>;
export type BackendConfig = z.infer<typeof backendSchema>;
export type CareTeamConfig = z.infer<typeof careTeamSchema>;

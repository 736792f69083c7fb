/**
 * Fault knobs: one mutable object per running sandbox, shared by reference with the FHIR server
 * and the authorization server, changed by tests over `POST /_knobs` (see sandbox/README.md).
 * Every knob is off by default; an off knob is null.
 */
import { z } from 'zod';
import type { FaultFilter, Knobs } from './contracts';
import { knobsPatchSchema } from './knob-schema';

export interface NarrowScopesFault extends FaultFilter {
  /** Scopes removed from what is granted (exact strings, e.g. `patient/Condition.rs`). */
  scopes: string[];
}

/** An HTTP answer in place of the real one, after an optional delay. */
export interface RawFault {
  status?: number;
  delayMs?: number;
  body?: string;
  contentType?: string;
  count?: number;
}

export interface TokenEndpointFault extends RawFault {
  clients?: string[];
}

export interface NarrowCategoryFault extends FaultFilter {
  /** The resource type whose v2 scopes are narrowed (default Observation). */
  resourceType: string;
  /** The category granted, e.g. `laboratory`: `patient/Observation.rs` becomes `patient/Observation.rs?category=laboratory`. */
  category: string;
}

export interface DenyFault extends FaultFilter {
  /** Sent verbatim as `error_description` (tests put hostile HTML here). */
  description: string;
}

/** The FHIR server's knobs plus the authorization server's and discovery's. */
export interface SandboxKnobs extends Knobs {
  /** Lifetime of access tokens issued from now on, in seconds (refresh tests set it low). */
  accessTokenTtlSeconds: number;
  /** The authorization and token endpoints treat the client as unknown (`invalid_client`). */
  rejectClient: FaultFilter | null;
  /** Scopes taken out of new grants, so the token's `scope` is narrower than requested. */
  narrowScopes: NarrowScopesFault | null;
  /** New grants narrow v2 scopes of one type to one category (SMART v2 granular scopes). */
  narrowCategory: NarrowCategoryFault | null;
  /** The server speaks SMART v1 scopes only: discovery advertises no `permission-v2`, grants keep `.read`/`.write` scopes and drop v2 ones. */
  v1Only: FaultFilter | null;
  /** Token responses leave out `patient` and `encounter`. */
  omitPatient: FaultFilter | null;
  /** How `/fhir/.well-known/smart-configuration` answers. */
  discovery: RawFault | null;
  /** How the token endpoint answers. */
  tokenEndpoint: TokenEndpointFault | null;
  /** Refresh token grants answer 400 `invalid_grant` (the refresh token is not used up). */
  rejectRefresh: FaultFilter | null;
  /** Authorizations end with `error=access_denied` and this `error_description`. */
  denyWithDescription: DenyFault | null;
  /** Token responses name a SMART style whose colours are too faint to read (`/smart-style-low-contrast.json`). */
  lowContrastStyle: true | null;
  /** id_tokens carry `fhirUser` as an absolute URL under the FHIR base, as Epic and Oracle Health send it. */
  absoluteFhirUser: FaultFilter | null;
  /**
   * A practitioner's id_token names their role (`PractitionerRole/role-prac-001`) as `fhirUser`
   * instead of the Practitioner, as SMART allows: an app must find the person behind the role.
   */
  fhirUserAsRole: FaultFilter | null;
  /** An EHR `launch` id works for one authorization only, as Epic's; a second use is refused. */
  singleUseLaunch: FaultFilter | null;
  /**
   * EHR launches from now on hand the app the FHIR base with a trailing slash (`iss=…/fhir/`), as
   * an EHR whose base is written so does; authorizations for them must send that `aud` exactly.
   */
  issTrailingSlash: true | null;
}

export const defaultKnobs: Readonly<SandboxKnobs> = Object.freeze({
  fhirLatencyMs: 0,
  accessTokenTtlSeconds: 3600,
  rejectClient: null,
  narrowScopes: null,
  narrowCategory: null,
  v1Only: null,
  omitPatient: null,
  discovery: null,
  tokenEndpoint: null,
  rejectRefresh: null,
  denyWithDescription: null,
  lowContrastStyle: null,
  absoluteFhirUser: null,
  fhirUserAsRole: null,
  singleUseLaunch: null,
  issTrailingSlash: null,
  fhir401: null,
  fhirError: null,
  dropAfterWrite: null,
  versionless: null,
  withheldSearch: null,
  observationSearchFilter: true,
  hideDeletionsFromLastUpdated: true,
  agePatientData: null,
});

/** A fresh knobs object holding the defaults. */
export function createKnobs(): SandboxKnobs {
  return { ...defaultKnobs };
}

export class KnobsPatchError extends Error {
  readonly code = 'knobs_patch_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'KnobsPatchError';
  }
}

/**
 * Merges a JSON patch into `knobs` in place (the other parts hold the same object) and returns it.
 * Each key replaces that knob as a whole. Unknown keys or bad values are refused as a whole, so a
 * typo never half-applies.
 */
export function mergeKnobs(knobs: SandboxKnobs, patch: unknown): SandboxKnobs {
  const parsed = knobsPatchSchema.safeParse(patch);
  if (!parsed.success) throw new KnobsPatchError(z.prettifyError(parsed.error));
  // Typed on purpose: the schema's output must fit the knobs.
  const data: Partial<SandboxKnobs> = parsed.data;
  const changes = Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined));
  return Object.assign(knobs, changes);
}

/** Puts every knob back to its default, in place. */
export function resetKnobs(knobs: SandboxKnobs): SandboxKnobs {
  return Object.assign(knobs, defaultKnobs);
}

export default defaultKnobs;

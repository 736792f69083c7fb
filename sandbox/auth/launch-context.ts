/**
 * Launch context, in memory. Two maps:
 * - EHR launches: the opaque `launch` id the EHR page hands the app → who and what is open;
 * - grant contexts: the context an authorization settled on, keyed by oidc-provider's grant id,
 *   read when tokens are issued (code and refresh grants) and when a token is introspected.
 */
import { randomBytes } from 'node:crypto';

export interface EhrLaunch {
  id: string;
  practitionerId: string;
  patientId: string;
  encounterId?: string;
  /** The FHIR base as the EHR handed it to the app (`iss`): an authorization for this launch must send it as `aud`, exactly. */
  iss: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  /** How many authorizations have used this launch id (the `singleUseLaunch` knob allows one). */
  uses: number;
}

export interface GrantContext {
  fhirUser: string;
  patient?: string;
  encounter?: string;
  /** False when the EHR shows its own patient banner (EHR launch), true for standalone. */
  needPatientBanner: boolean;
}

/**
 * How long an EHR launch id stays usable: the app may reload its frame and launch again, unless
 * the `singleUseLaunch` knob makes it single use, as Epic's are.
 */
const LAUNCH_TTL_MS = 30 * 60 * 1000;
/** Upper bound on stored entries so a long-running sandbox does not grow without limit. */
const MAX_ENTRIES = 10_000;

function trim<K, V>(map: Map<K, V>): void {
  while (map.size > MAX_ENTRIES) {
    const oldest = map.keys().next();
    if (oldest.done) return;
    map.delete(oldest.value);
  }
}

export interface LaunchContextStore {
  createLaunch(input: Omit<EhrLaunch, 'id' | 'expiresAt' | 'uses'>): EhrLaunch;
  /** The launch, or undefined when unknown or expired. */
  findLaunch(id: string): EhrLaunch | undefined;
  setGrantContext(grantId: string, context: GrantContext): void;
  grantContext(grantId: string | undefined): GrantContext | undefined;
}

export function createLaunchContextStore(now: () => number = Date.now): LaunchContextStore {
  const launches = new Map<string, EhrLaunch>();
  const grants = new Map<string, GrantContext>();
  return {
    createLaunch(input) {
      const launch: EhrLaunch = {
        ...input,
        id: randomBytes(16).toString('base64url'),
        expiresAt: now() + LAUNCH_TTL_MS,
        uses: 0,
      };
      launches.set(launch.id, launch);
      trim(launches);
      return launch;
    },
    findLaunch(id) {
      const launch = launches.get(id);
      if (!launch) return undefined;
      if (launch.expiresAt <= now()) {
        launches.delete(id);
        return undefined;
      }
      return launch;
    },
    setGrantContext(grantId, context) {
      grants.set(grantId, context);
      trim(grants);
    },
    grantContext(grantId) {
      return grantId ? grants.get(grantId) : undefined;
    },
  };
}

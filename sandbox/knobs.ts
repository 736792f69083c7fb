/**
 * Fault knobs: one mutable object per running sandbox, shared by reference with the FHIR server
 * and the authorization server, changed by tests over `POST /_knobs`.
 */
import { z } from 'zod';
import type { Knobs } from './contracts';

/** The contract's knobs plus the authorization server's own. */
export interface SandboxKnobs extends Knobs {
  /** Lifetime of access tokens issued from now on, in seconds (refresh tests set it low). */
  accessTokenTtlSeconds: number;
}

export const defaultKnobs: Readonly<SandboxKnobs> = Object.freeze({
  fhirLatencyMs: 0,
  accessTokenTtlSeconds: 3600,
});

/** A fresh knobs object holding the defaults. */
export function createKnobs(): SandboxKnobs {
  return { ...defaultKnobs };
}

const knobsPatchSchema = z.strictObject({
  fhirLatencyMs: z.number().int().min(0).max(60_000).optional(),
  accessTokenTtlSeconds: z.number().int().min(1).max(86_400).optional(),
});

export class KnobsPatchError extends Error {
  readonly code = 'knobs_patch_invalid';
  constructor(message: string) {
    super(message);
    this.name = 'KnobsPatchError';
  }
}

/**
 * Merges a JSON patch into `knobs` in place (the other parts hold the same object) and returns it.
 * Unknown keys or out-of-range values are refused as a whole, so a typo never half-applies.
 */
export function mergeKnobs(knobs: SandboxKnobs, patch: unknown): SandboxKnobs {
  const parsed = knobsPatchSchema.safeParse(patch);
  if (!parsed.success) throw new KnobsPatchError(z.prettifyError(parsed.error));
  for (const [key, value] of Object.entries(parsed.data)) {
    if (value !== undefined) knobs[key as keyof SandboxKnobs] = value;
  }
  return knobs;
}

/** Puts every knob back to its default, in place. */
export function resetKnobs(knobs: SandboxKnobs): SandboxKnobs {
  return Object.assign(knobs, defaultKnobs);
}

export default defaultKnobs;

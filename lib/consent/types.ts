/**
 * The shape of a consent decision: the outcome, stable reason codes, the consents behind it and
 * the obligations an enforcement point must carry out. Obligations are mandatory: a caller that
 * cannot fulfil one must treat the decision as a deny.
 */
import type { Coding } from '@medplum/fhirtypes';

/**
 * Stable reason codes and the plain-language line each stands for (no PHI, safe for audit
 * views and logs). `reasons[0]` of a decision is always the one that decided it.
 */
export const REASONS = {
  'consent-permit': 'An active consent of the patient permits this request.',
  'consent-deny': 'An active consent of the patient denies this request.',
  'default-permit': 'No consent of the patient applies; this deployment permits by default.',
  'default-deny': 'No consent of the patient applies; this deployment denies by default.',
  'patient-default-permit': 'No other consent of the patient applies; the patient chose to share unless they restrict.',
  'patient-default-deny': 'No other consent of the patient applies; the patient chose to share only with those they name.',
  'outside-period': 'A consent of the patient exists but is not in force at this time.',
  'label-restricted': 'The patient restricts data with certain security labels.',
  'data-dependent': 'The outcome depends on the date, codes or identity of each resource; decide per resource.',
  'break-glass': 'A practitioner declared an emergency (break-glass) and was given access.',
  'break-glass-unavailable': 'Break-glass was requested but is disabled or not open to this requester.',
  'break-glass-excluded': 'The data carries a label that break-glass never opens (for example substance-use records under 42 CFR Part 2).',
  'patient-self': 'The patient is accessing their own record.',
  'purpose-conflict': 'The data is labelled for purposes of use that do not include the requested one.',
  'consent-uninterpretable': 'A consent of the patient could not be interpreted, so it is treated as a denial.',
  'invalid-input': 'The request or the clock could not be read.',
} as const;

/** A stable reason code; see REASONS. */
export type ReasonCode = keyof typeof REASONS;

/** Attributes of the data that a decision may depend on when the request left them out. */
export type DataElement = 'dataPeriod' | 'code' | 'data';

/**
 * What the enforcement point must do besides permitting:
 * - `redact`: remove every resource carrying one of these labels (or a label they cover;
 *   see `mustRedact`). Comes from a deny provision that restricts by Consent.provision.securityLabel.
 * - `audit-alert`: record the access as an alert-level audit event the patient can see (break-glass).
 * - `decide-per-resource`: call `decide()` again for each resource returned, with the listed
 *   attributes filled in, and drop those denied.
 */
export type Obligation =
  | { type: 'redact'; securityLabels: Coding[] }
  | { type: 'audit-alert' }
  | { type: 'decide-per-resource'; elements: DataElement[] };

/** The outcome of `decide()`. */
export interface Decision {
  decision: 'permit' | 'deny';
  /** Why, most decisive first. */
  reasons: ReasonCode[];
  /** The consents that produced the outcome (ids, or `#index` for a consent without one). */
  consentIds: string[];
  obligations: Obligation[];
}

/** Per-deployment choices the engine does not make on its own. */
export interface DecisionPolicy {
  /** The outcome when no consent of the patient applies (opt-out vs opt-in jurisdictions). */
  noConsent: 'permit' | 'deny';
  /** Whether practitioners may break the glass (purpose BTG). Enabled unless set to 'disabled'. */
  breakGlass?: 'enabled' | 'disabled';
  /**
   * Security labels break-glass never overrides: data carrying one (or a label it covers, in
   * the deny reading of labelCovers) keeps the ordinary decision. 42 CFR Part 2 (§2.51) lets a
   * medical emergency open substance-use records only under its own rules, so a deployment
   * normally lists SUD here; BREAK_GLASS_NEVER_OVERRIDES is the default the proxy applies.
   */
  breakGlassNeverOverrides?: readonly Coding[];
}

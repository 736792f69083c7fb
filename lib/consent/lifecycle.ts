/**
 * The life of a Consent record, as a closed set of states and a pure transition function.
 *
 *   draft ──activate──▶ active ──revoke──▶ inactive
 *     │ (proposed too)    │
 *     └──reject──▶ rejected
 *   any state but entered-in-error ──mark-entered-in-error──▶ entered-in-error
 *
 * States are R4 Consent.status. Expiry is not a state: an active consent past the end of its
 * period is derived as 'expired' by `effectiveStatus`, so no timer has to rewrite records.
 * Every transition appends an entry to the consent's own history (an extension, so it travels
 * with the resource to any FHIR server).
 */
import type { Consent, Extension } from '@medplum/fhirtypes';
import { normalizeReference } from './codes';
import { consentWindow, positionIn } from './time';

/** What can happen to a consent. */
export const CONSENT_EVENTS = ['activate', 'revoke', 'reject', 'mark-entered-in-error'] as const;
/** An event of the consent lifecycle. */
export type ConsentEvent = (typeof CONSENT_EVENTS)[number];
type Status = Consent['status'];

/** For each event: the states it may leave and the state it enters. */
export const TRANSITIONS: Readonly<Record<ConsentEvent, { from: readonly Status[]; to: Status }>> = {
  activate: { from: ['draft', 'proposed'], to: 'active' },
  revoke: { from: ['active'], to: 'inactive' },
  reject: { from: ['draft', 'proposed'], to: 'rejected' },
  'mark-entered-in-error': { from: ['draft', 'proposed', 'active', 'inactive', 'rejected'], to: 'entered-in-error' },
};

/** Stable error codes of refused transitions, with a PHI-free explanation each. */
export const TRANSITION_ERRORS = {
  'illegal-transition': 'This change is not possible from the consent’s current state.',
  'period-ended': 'The consent’s period has already ended, so it cannot be made active.',
  'invalid-period': 'The consent’s period cannot be read, so it cannot be made active.',
  'invalid-time': 'The time of the change could not be read.',
} as const;
/** A stable code of a refused transition; see TRANSITION_ERRORS. */
export type TransitionErrorCode = keyof typeof TRANSITION_ERRORS;

/** A refused transition. Returned, not thrown: a refusal is an expected outcome. */
export class ConsentTransitionError extends Error {
  readonly code: TransitionErrorCode;
  readonly from: Status;
  readonly event: ConsentEvent;

  constructor(code: TransitionErrorCode, from: Status, event: ConsentEvent) {
    super(`${code}: ${TRANSITION_ERRORS[code]} (${event} from ${from})`);
    this.name = 'ConsentTransitionError';
    this.code = code;
    this.from = from;
    this.event = event;
  }
}

/** URL of the extension that records one transition on the Consent. */
export const HISTORY_EXTENSION_URL = 'urn:housecall:consent-transition';

/** One recorded transition. */
export interface ConsentHistoryEntry {
  event: ConsentEvent;
  from: Status;
  to: Status;
  /** FHIR instant of the change. */
  at: string;
  /** Who made the change (`Patient/…`, `Practitioner/…`, `RelatedPerson/…`), when given as a valid reference. */
  by?: string;
}

/** The new Consent and the history entry recorded, or the refusal. */
export type TransitionResult =
  | { ok: true; consent: Consent; entry: ConsentHistoryEntry }
  | { ok: false; error: ConsentTransitionError };

function toExtension(entry: ConsentHistoryEntry): Extension {
  const parts: Extension[] = [
    { url: 'event', valueCode: entry.event },
    { url: 'from', valueCode: entry.from },
    { url: 'to', valueCode: entry.to },
    { url: 'at', valueInstant: entry.at },
  ];
  if (entry.by !== undefined) parts.push({ url: 'by', valueReference: { reference: entry.by } });
  return { url: HISTORY_EXTENSION_URL, extension: parts };
}

function isEvent(value: string | undefined): value is ConsentEvent {
  return (CONSENT_EVENTS as readonly string[]).includes(value ?? '');
}

const STATUSES: readonly Status[] = ['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error'];

function isStatus(value: string | undefined): value is Status {
  return (STATUSES as readonly string[]).includes(value ?? '');
}

/** The transitions recorded on a consent, oldest first; malformed entries are skipped. */
export function consentHistory(consent: Consent): ConsentHistoryEntry[] {
  const entries: ConsentHistoryEntry[] = [];
  for (const ext of consent.extension ?? []) {
    if (ext.url !== HISTORY_EXTENSION_URL) continue;
    const part = (name: string) => ext.extension?.find((e) => e.url === name);
    const event = part('event')?.valueCode;
    const from = part('from')?.valueCode;
    const to = part('to')?.valueCode;
    const at = part('at')?.valueInstant;
    if (!isEvent(event) || !isStatus(from) || !isStatus(to) || at === undefined) continue;
    const by = part('by')?.valueReference?.reference;
    entries.push(by === undefined ? { event, from, to, at } : { event, from, to, at, by });
  }
  return entries;
}

/**
 * Applies `event` to `consent` at `now`, returning a new Consent (the input is not changed) with
 * its R4 Consent.status moved on and the transition appended to its history, or a refusal with
 * a stable code. Checks: the event must be legal from the current status (revoking a draft or
 * re-activating a revoked consent would rewrite what the patient decided); activation also needs
 * a readable period that has not ended (a consent that starts life expired protects no one and
 * misleads the patient). Activation sets Consent.dateTime when absent, the moment it was given.
 */
export function transition(consent: Consent, event: ConsentEvent, now: Date, by?: string): TransitionResult {
  const from = consent.status;
  const refuse = (code: TransitionErrorCode): TransitionResult => ({ ok: false, error: new ConsentTransitionError(code, from, event) });
  const nowMs = now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(nowMs)) return refuse('invalid-time');
  const rule = TRANSITIONS[event];
  if (!rule.from.includes(from)) return refuse('illegal-transition');
  const at = new Date(nowMs).toISOString();
  const next: Consent = { ...consent, status: rule.to };
  if (event === 'activate') {
    const period = consent.provision?.period;
    const position = positionIn(period?.start, period?.end, nowMs);
    if (position === 'invalid') return refuse('invalid-period');
    if (position === 'after') return refuse('period-ended');
    if (consent.dateTime === undefined) next.dateTime = at;
  }
  const actor = normalizeReference(by);
  const entry: ConsentHistoryEntry = actor === undefined ? { event, from, to: rule.to, at } : { event, from, to: rule.to, at, by: actor };
  next.extension = [...(consent.extension ?? []), toExtension(entry)];
  return { ok: true, consent: next, entry };
}

/** R4 Consent.status plus the derived states of an active consent outside its window. */
export type EffectiveStatus = Status | 'expired' | 'scheduled';

/**
 * The status a person should see: 'expired' for an active consent whose window has ended,
 * 'scheduled' for one whose window has not begun (see consentWindow), otherwise Consent.status.
 * `decide()` applies the same window, so what is shown is what is enforced.
 */
export function effectiveStatus(consent: Consent, now: Date): EffectiveStatus {
  if (consent.status !== 'active') return consent.status;
  const window = consentWindow(consent);
  const position = positionIn(window.start, window.end, now.getTime());
  if (position === 'after') return 'expired';
  if (position === 'before') return 'scheduled';
  return 'active';
}


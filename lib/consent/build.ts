/**
 * Builders for the Consent resources Housecall writes: a patient sharing data with someone,
 * and a patient restricting data. Each returns an R4 Consent (scope patient-privacy) that
 * `decide()` reads back exactly as the sharing screen described it. Inputs are expected to be
 * validated at the boundary; the builders only assemble.
 */
import type { Coding, Consent, ConsentProvision, Period } from '@medplum/fhirtypes';
import { CONSENT_SYSTEMS, type ConsentActionCode } from './codes';

/** Security labels the sharing screen offers, as Codings ready for a provision. */
export const LABELS = {
  normal: { system: CONSENT_SYSTEMS.confidentiality, code: 'N', display: 'normal' },
  restricted: { system: CONSENT_SYSTEMS.confidentiality, code: 'R', display: 'restricted' },
  veryRestricted: { system: CONSENT_SYSTEMS.confidentiality, code: 'V', display: 'very restricted' },
  mentalHealth: { system: CONSENT_SYSTEMS.actCode, code: 'PSY', display: 'psychiatry disorder information sensitivity' },
  substanceUse: { system: CONSENT_SYSTEMS.actCode, code: 'SUD', display: 'substance use disorder information sensitivity' },
  substanceAbuse: { system: CONSENT_SYSTEMS.actCode, code: 'ETH', display: 'substance abuse information sensitivity' },
  hiv: { system: CONSENT_SYSTEMS.actCode, code: 'HIV', display: 'HIV/AIDS information sensitivity' },
  sexualHealth: { system: CONSENT_SYSTEMS.actCode, code: 'SEX', display: 'sexuality and reproductive health information sensitivity' },
} as const satisfies Record<string, Coding>;

/** Options common to every builder. */
export interface ConsentBaseOptions {
  /** Patient id (not a reference). */
  patientId: string;
  /** Resource id, when the caller assigns one (tests, idempotent writes). */
  id?: string;
  /** R4 Consent.status; 'active' by default, 'draft' to show before recording. */
  status?: Consent['status'];
  /** When the consent was given (Consent.dateTime), a FHIR dateTime. */
  dateTime?: string;
  /** When the consent is in force (root Consent.provision.period); open-ended when absent. */
  period?: Period;
}

/** What to share, with whom, why and for how long. */
export interface ShareOptions extends ConsentBaseOptions {
  /** The recipient: `Practitioner/…`, `PractitionerRole/…`, `Organization/…`, `RelatedPerson/…`, `Device/…`. */
  recipient: string;
  /** FHIR resource types shared; all when absent or empty. */
  resourceTypes?: readonly string[];
  /** v3 ActReason purposes the recipient may use the data for; any when absent or empty. */
  purpose?: string | readonly string[];
  /** Consent actions allowed; `access` by default. */
  actions?: readonly ConsentActionCode[];
  /** Labels kept back: a nested deny, so labelled data is redacted from the share. */
  excludeLabels?: readonly Coding[];
}

const PRIVACY_SCOPE = { coding: [{ system: CONSENT_SYSTEMS.scope, code: 'patient-privacy', display: 'Privacy Consent' }] };
const CATEGORY = [{ coding: [{ system: CONSENT_SYSTEMS.loinc, code: '59284-0', display: 'Patient Consent' }] }];
/** Information recipient: how the actor relates to the data, not a condition on the actor. */
const RECIPIENT_ROLE = { coding: [{ system: CONSENT_SYSTEMS.participationType, code: 'IRCP', display: 'information recipient' }] };

function policyRule(type: 'permit' | 'deny') {
  const code = type === 'permit' ? 'OPTIN' : 'OPTOUT';
  return { coding: [{ system: CONSENT_SYSTEMS.actCode, code, display: type === 'permit' ? 'opt-in' : 'opt-out' }] };
}

function consent(options: ConsentBaseOptions, provision: ConsentProvision): Consent {
  const resource: Consent = {
    resourceType: 'Consent',
    status: options.status ?? 'active',
    scope: PRIVACY_SCOPE,
    category: CATEGORY,
    patient: { reference: `Patient/${options.patientId}` },
    policyRule: policyRule(provision.type ?? 'permit'),
    provision: options.period ? { ...provision, period: options.period } : provision,
  };
  if (options.id !== undefined) resource.id = options.id;
  if (options.dateTime !== undefined) resource.dateTime = options.dateTime;
  return resource;
}

function asList(value: string | readonly string[] | undefined): readonly string[] {
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

/**
 * A patient shares data with one recipient: a root permit (Consent.provision.type) for that
 * actor (provision.actor, role IRCP), for the given actions, purposes (provision.purpose) and
 * resource types (provision.class), with `excludeLabels` as a nested deny on
 * provision.securityLabel, so labelled data is redacted rather than shared.
 */
export function shareWith(options: ShareOptions): Consent {
  const provision: ConsentProvision = {
    type: 'permit',
    actor: [{ role: RECIPIENT_ROLE, reference: { reference: options.recipient } }],
    action: (options.actions ?? ['access']).map((code) => ({ coding: [{ system: CONSENT_SYSTEMS.action, code }] })),
  };
  const purposes = asList(options.purpose);
  if (purposes.length > 0) provision.purpose = purposes.map((code) => ({ system: CONSENT_SYSTEMS.actReason, code }));
  if ((options.resourceTypes?.length ?? 0) > 0) {
    provision.class = (options.resourceTypes ?? []).map((code) => ({ system: CONSENT_SYSTEMS.resourceTypes, code }));
  }
  if ((options.excludeLabels?.length ?? 0) > 0) provision.provision = [{ type: 'deny', securityLabel: [...(options.excludeLabels ?? [])] }];
  return consent(options, provision);
}

/** `shareWith` a Practitioner named by id. */
export function shareWithPractitioner(options: Omit<ShareOptions, 'recipient'> & { practitionerId: string; display?: string }): Consent {
  const { practitionerId, display, ...rest } = options;
  const made = shareWith({ ...rest, recipient: `Practitioner/${practitionerId}` });
  return display ? named(made, display) : made;
}

/** The consent with its root actor's reference carrying `display`: the name the server found for them, shown in the sharing centre. */
function named(c: Consent, display: string): Consent {
  const actor = c.provision?.actor?.map((a) => ({ ...a, reference: { ...a.reference, display } }));
  return { ...c, provision: { ...c.provision, ...(actor ? { actor } : {}) } };
}

/**
 * A patient restricts data carrying any of `labels` from everyone (a root deny on
 * Consent.provision.securityLabel), except the recipients in `exceptFor`, who keep access
 * through a nested permit for that actor.
 */
export function restrictLabels(options: ConsentBaseOptions & { labels: readonly Coding[]; exceptFor?: readonly string[] }): Consent {
  const provision: ConsentProvision = { type: 'deny', securityLabel: [...options.labels] };
  if ((options.exceptFor?.length ?? 0) > 0) {
    provision.provision = [{ type: 'permit', actor: (options.exceptFor ?? []).map((reference) => ({ role: RECIPIENT_ROLE, reference: { reference } })) }];
  }
  return consent(options, provision);
}

/** A patient withholds everything from one actor (a root deny on Consent.provision.actor). */
export function restrictActor(options: ConsentBaseOptions & { actor: string; display?: string }): Consent {
  return consent(options, { type: 'deny', actor: [{ role: RECIPIENT_ROLE, reference: { reference: options.actor, ...(options.display ? { display: options.display } : {}) } }] });
}

/** A patient withholds everything from everyone: a root deny with no conditions. */
export function restrictAll(options: ConsentBaseOptions): Consent {
  return consent(options, { type: 'deny' });
}

/** Consent.category coding of a patient's own default (see `patientDefault`). */
export const PATIENT_DEFAULT_CATEGORY = { system: 'urn:housecall:consent-kind', code: 'patient-default', display: 'patient default for data not covered by other consents' } as const satisfies Coding;

/**
 * The patient's own answer for requests no other consent of theirs covers, in place of the
 * deployment's default: `deny` is "only the people I share with" (opt-in), `permit` the
 * opposite. A Consent with Consent.policyRule OPTOUT or OPTIN and no provision, marked with
 * PATIENT_DEFAULT_CATEGORY so it is never mistaken for a rule that matches every request: a
 * share recorded as a separate consent then counts, where a deny-everything rule would
 * override it.
 */
export function patientDefault(options: ConsentBaseOptions & { rule: 'permit' | 'deny' }): Consent {
  const resource = consent(options, { type: options.rule });
  delete resource.provision;
  if (options.period) resource.provision = { period: options.period };
  return { ...resource, category: [...(resource.category ?? []), { coding: [PATIENT_DEFAULT_CATEGORY] }] };
}

/** Prefix of the recipient a share link's consent names: whoever holds that link. */
export const SHARE_LINK_RECIPIENT_PREFIX = 'Device/share-link-';

/**
 * The recipient of a share link's consent. A link is opened by someone Housecall cannot name, so
 * the consent names the link itself; `decide()` treats it like any other actor, and the link's
 * page reads as this actor, so it shows exactly what the consent permits.
 */
export function shareLinkRecipient(linkId: string): string {
  return `${SHARE_LINK_RECIPIENT_PREFIX}${linkId}`;
}

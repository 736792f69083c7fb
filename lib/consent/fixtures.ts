/**
 * Named, typed consent fixtures for unit tests, e2e tests and the sandbox seed. People and ids
 * match the sandbox's synthetic seed (pat-001, prac-001, org-001, 2026-11-01T09:00:00Z) without
 * importing it, so `lib` keeps depending on nothing outside `lib`. All people are fictional.
 */
import type { Coding, Consent, ConsentProvision } from '@medplum/fhirtypes';
import { LABELS, restrictActor, restrictAll, restrictLabels, shareWith, shareWithPractitioner } from './build';
import { CONSENT_SYSTEMS } from './codes';
import type { DecisionActor, DecisionRequest } from './schema';
import type { DecisionPolicy } from './types';

/** The frozen clock of every consent test: the sandbox's FIXTURE_NOW. */
export const NOW = new Date('2026-11-01T09:00:00Z');

/** Ids of the fictional people and systems. */
export const IDS = {
  patient: 'pat-001',
  otherPatient: 'pat-002',
  gp: 'prac-001',
  specialist: 'prac-002',
  nurse: 'prac-003',
  org: 'org-001',
  relative: 'rp-001',
  app: 'housecall',
} as const;

/** The same, as references. */
export const REFS = {
  patient: `Patient/${IDS.patient}`,
  otherPatient: `Patient/${IDS.otherPatient}`,
  gp: `Practitioner/${IDS.gp}`,
  specialist: `Practitioner/${IDS.specialist}`,
  nurse: `Practitioner/${IDS.nurse}`,
  org: `Organization/${IDS.org}`,
  relative: `RelatedPerson/${IDS.relative}`,
  app: `Device/${IDS.app}`,
} as const;

/** Requester roles (SNOMED CT occupations). */
export const ROLES = {
  doctor: { system: 'http://snomed.info/sct', code: '158965000', display: 'Medical practitioner' },
  nurse: { system: 'http://snomed.info/sct', code: '224535009', display: 'Registered nurse' },
} as const satisfies Record<string, Coding>;

/** An HIV viral load test (LOINC), for Consent.provision.code rules. */
export const HIV_TEST = { system: 'http://loinc.org', code: '20447-9', display: 'HIV 1 RNA [#/volume] in Serum or Plasma' } as const satisfies Coding;
/** A blood glucose test (LOINC), not restricted by any fixture. */
export const GLUCOSE_TEST = { system: 'http://loinc.org', code: '2339-0', display: 'Glucose [Mass/volume] in Blood' } as const satisfies Coding;

/** Deployment policies. */
export const POLICIES = {
  permitByDefault: { noConsent: 'permit' },
  denyByDefault: { noConsent: 'deny' },
  noBreakGlass: { noConsent: 'deny', breakGlass: 'disabled' },
} as const satisfies Record<string, DecisionPolicy>;

/** A requester. */
export function actor(reference: string, roles: DecisionActor['roles'] = [], memberOf: string[] = []): DecisionActor {
  return { reference, roles, memberOf };
}

/** The GP reading one patient's Observations for treatment; override what a case changes. */
export function request(overrides: Partial<DecisionRequest> = {}): DecisionRequest {
  return {
    patient: REFS.patient,
    actor: actor(REFS.gp, [ROLES.doctor]),
    purposeOfUse: 'TREAT',
    action: 'access',
    resourceType: 'Observation',
    securityLabels: [],
    ...overrides,
  };
}

const patientId = IDS.patient;
const given = '2026-01-01T00:00:00Z';

function withStatus(consent: Consent, id: string, status: Consent['status']): Consent {
  return { ...consent, id, status };
}

/** A consent whose root provision is replaced or extended by `provision`. */
function withProvision(consent: Consent, provision: ConsentProvision): Consent {
  return { ...consent, provision: { ...consent.provision, ...provision } };
}

const shareAllWithGp = shareWithPractitioner({ id: 'share-gp', patientId, practitionerId: IDS.gp, dateTime: given });

/** Consents of patient pat-001 (and one of pat-002), named after what they say. */
export const CONSENTS = {
  /** GP may access everything, any purpose, open-ended. */
  shareAllWithGp,
  /** GP may access everything for treatment only. */
  shareWithGpForTreatment: shareWithPractitioner({ id: 'share-gp-treat', patientId, practitionerId: IDS.gp, purpose: 'TREAT', dateTime: given }),
  /** GP may access everything except mental-health data (a nested deny: redaction). */
  shareWithGpExceptMentalHealth: shareWithPractitioner({ id: 'share-gp-no-psy', patientId, practitionerId: IDS.gp, excludeLabels: [LABELS.mentalHealth], dateTime: given }),
  /** Specialist may access Observations until the end of 2026-12-31. */
  shareObservationsWithSpecialist: shareWithPractitioner({ id: 'share-spec-obs', patientId, practitionerId: IDS.specialist, resourceTypes: ['Observation'], period: { start: '2026-10-01', end: '2026-12-31' } }),
  /** Specialist's share ended at the end of 2026-10-31. */
  expiredShareWithSpecialist: shareWithPractitioner({ id: 'share-spec-expired', patientId, practitionerId: IDS.specialist, period: { start: '2026-01-01', end: '2026-10-31' } }),
  /** Specialist's share starts 2026-12-01. */
  futureShareWithSpecialist: shareWithPractitioner({ id: 'share-spec-future', patientId, practitionerId: IDS.specialist, period: { start: '2026-12-01' } }),
  /** Specialist's share ends today (a date-only end covers the whole day). */
  shareEndingToday: shareWithPractitioner({ id: 'share-spec-today', patientId, practitionerId: IDS.specialist, period: { end: '2026-11-01' } }),
  /** Recorded in the future with no period start: not in force yet. */
  shareRecordedTomorrow: shareWithPractitioner({ id: 'share-spec-tomorrow', patientId, practitionerId: IDS.specialist, dateTime: '2026-11-02T09:00:00Z' }),
  /** Specialist may access data dated 2026 onwards only (Consent.provision.dataPeriod). */
  shareRecentDataWithSpecialist: withProvision(shareWithPractitioner({ id: 'share-spec-recent', patientId, practitionerId: IDS.specialist }), { dataPeriod: { start: '2026-01-01' } }),
  /** The GP's practice, for nurses only (an Organization actor narrowed by role). */
  shareWithPracticeNurses: withProvision(shareWith({ id: 'share-org-nurses', patientId, recipient: REFS.org }), { actor: [{ role: { coding: [ROLES.nurse] }, reference: { reference: REFS.org } }] }),
  /** A relative may access medications. */
  shareMedicationsWithRelative: shareWith({ id: 'share-relative-meds', patientId, recipient: REFS.relative, resourceTypes: ['MedicationRequest', 'MedicationStatement'] }),
  /** The Housecall app itself may collect (write) data. */
  shareWriteWithApp: shareWith({ id: 'share-app-write', patientId, recipient: REFS.app, actions: ['collect', 'correct'] }),
  /** Nobody may see mental-health or substance-use data. */
  restrictSensitive: restrictLabels({ id: 'restrict-sensitive', patientId, labels: [LABELS.mentalHealth, LABELS.substanceUse] }),
  /** Nobody but the GP may see mental-health data (a nested permit: exception). */
  restrictMentalHealthExceptGp: restrictLabels({ id: 'restrict-psy-except-gp', patientId, labels: [LABELS.mentalHealth], exceptFor: [REFS.gp] }),
  /** Nobody may see restricted (R) data, nor anything more restricted. */
  restrictRestricted: restrictLabels({ id: 'restrict-r', patientId, labels: [LABELS.restricted] }),
  /** The specialist may see nothing. */
  restrictSpecialist: restrictActor({ id: 'restrict-spec', patientId, actor: REFS.specialist }),
  /** Nobody may see anything. */
  restrictAll: restrictAll({ id: 'restrict-all', patientId }),
  /** No research use, of any kind. */
  restrictResearch: withProvision(restrictAll({ id: 'restrict-research', patientId }), { purpose: [{ system: CONSENT_SYSTEMS.actReason, code: 'HRESCH' }] }),
  /** Nobody may see scanned documents. */
  restrictDocuments: withProvision(restrictAll({ id: 'restrict-docs', patientId }), { class: [{ system: CONSENT_SYSTEMS.resourceTypes, code: 'DocumentReference' }] }),
  /** Nobody may see HIV test results (Consent.provision.code). */
  restrictHivTests: withProvision(restrictAll({ id: 'restrict-hiv-code', patientId }), { code: [{ coding: [HIV_TEST] }] }),
  /** Nobody may see data from before 2020 (Consent.provision.dataPeriod). */
  restrictOldData: withProvision(restrictAll({ id: 'restrict-old', patientId }), { dataPeriod: { end: '2019-12-31' } }),
  /** Nobody may see one Observation (Consent.provision.data, instance). */
  restrictOneObservation: withProvision(restrictAll({ id: 'restrict-obs-9', patientId }), { data: [{ meaning: 'instance', reference: { reference: 'Observation/obs-001-0009' } }] }),
  /**
   * Two levels: GP may see everything; except mental-health data; except in an emergency.
   */
  gpWithEmergencyException: {
    ...shareAllWithGp,
    id: 'share-gp-emergency',
    provision: {
      type: 'permit',
      actor: [{ role: { coding: [{ system: CONSENT_SYSTEMS.participationType, code: 'IRCP' }] }, reference: { reference: REFS.gp } }],
      provision: [{ type: 'deny', securityLabel: [LABELS.mentalHealth], provision: [{ type: 'permit', purpose: [{ system: CONSENT_SYSTEMS.actReason, code: 'ETREAT' }] }] }],
    },
  },
  /** Another patient's restriction: must never affect pat-001. */
  otherPatientRestrictAll: restrictAll({ id: 'other-restrict-all', patientId: IDS.otherPatient }),
  /** Another patient's share with the GP: must never grant access to pat-001. */
  otherPatientShareWithGp: shareWithPractitioner({ id: 'other-share-gp', patientId: IDS.otherPatient, practitionerId: IDS.gp }),
  /** The same share in each status that carries no permission. */
  draftShare: withStatus(shareAllWithGp, 'share-gp-draft', 'draft'),
  proposedShare: withStatus(shareAllWithGp, 'share-gp-proposed', 'proposed'),
  revokedShare: withStatus(shareAllWithGp, 'share-gp-revoked', 'inactive'),
  rejectedShare: withStatus(shareAllWithGp, 'share-gp-rejected', 'rejected'),
  enteredInErrorShare: withStatus(shareAllWithGp, 'share-gp-error', 'entered-in-error'),
  revokedRestriction: withStatus(restrictAll({ patientId }), 'restrict-all-revoked', 'inactive'),
} satisfies Record<string, Consent>;

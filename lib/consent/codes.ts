/**
 * Code systems and the small slices of their hierarchies the consent engine needs: purpose of
 * use (v3 ActReason), confidentiality (v3 Confidentiality, an ordered scale) and information
 * sensitivity (v3 ActCode). Pure data and lookups; no I/O.
 *
 * The hierarchies are written out by hand from the HL7 terminology (THO) so the engine runs in
 * a browser without loading the terminology packages.
 */
import type { Coding } from '@medplum/fhirtypes';

/** Code system URLs used by Consent resources Housecall reads and writes. */
export const CONSENT_SYSTEMS = {
  /** Consent.scope (R4 value set consent-scope). */
  scope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  /** Consent.provision.action (R4 value set consent-action). */
  action: 'http://terminology.hl7.org/CodeSystem/consentaction',
  /** Consent.provision.purpose and purpose-of-use security labels. */
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  /** Confidentiality security labels (U, L, M, N, R, V). */
  confidentiality: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
  /** Sensitivity security labels (PSY, SUD, HIV, SEX, ...) and policy rules (OPTIN, OPTOUT). */
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  /** Consent.provision.actor.role codes that describe a relationship to the data, not the actor. */
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  /** Consent.provision.class codes naming FHIR resource types. */
  resourceTypes: 'http://hl7.org/fhir/resource-types',
  /** Consent.category for a patient's privacy consent. */
  loinc: 'http://loinc.org',
} as const;

/**
 * The labels break-glass never overrides unless an issuer's configuration says otherwise:
 * substance-use disorder information (v3 ActCode SUD, which also covers ETH, ETHUD and
 * OPIOIDUD), as 42 CFR Part 2 governs its disclosure in an emergency separately.
 */
export const BREAK_GLASS_NEVER_OVERRIDES: readonly Coding[] = [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'SUD' }];

/** The consent actions of R4 (http://terminology.hl7.org/CodeSystem/consentaction). */
export const CONSENT_ACTIONS = ['access', 'disclose', 'correct', 'collect', 'use'] as const;
/** One consent action code. */
export type ConsentActionCode = (typeof CONSENT_ACTIONS)[number];

/** Purpose-of-use specialisations in v3 ActReason (parent: children). */
const PURPOSE_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  HOPERAT: ['CAREMGT', 'DONAT', 'FRAUD', 'GOV', 'HACCRED', 'HCOMPL', 'HDECD', 'HDIRECT', 'HDM', 'HLEGAL', 'HOUTCOMS', 'HPRGRP', 'HQUALIMP', 'HSYSADMIN', 'MEMADMIN', 'MILCDM', 'PATADMIN', 'PATSFTY', 'PERFMSR', 'RECORDMGT', 'SYSDEV', 'TRAIN'],
  HSYSADMIN: ['LABELING', 'METAMGT'],
  SYSDEV: ['HTEST'],
  HPAYMT: ['CLMATTCH', 'COVAUTH', 'COVERAGE', 'REMITADV'],
  COVERAGE: ['ELIGDTRM', 'ELIGVER', 'ENROLLM', 'MILDCRG'],
  HRESCH: ['BIORCH', 'CLINTRCH', 'DSRCH', 'POARCH', 'TRANSRCH'],
  CLINTRCH: ['CLINTRCHNPC', 'CLINTRCHPC', 'PRECLINTRCH'],
  PATRQT: ['FAMRQT', 'PWATRNY', 'SUPNWK'],
  PUBHLTH: ['DISASTER', 'THREAT'],
  TREAT: ['CLINTRL', 'COC', 'ETREAT', 'POPHLTH'],
  ETREAT: ['BTG', 'ERTREAT'],
};

/** Information-sensitivity specialisations in v3 ActCode (parent: children). */
const SENSITIVITY_CHILDREN: Readonly<Record<string, readonly string[]>> = {
  SPI: ['BH', 'MH', 'PSY', 'PSYTHPN', 'SUD'],
  BH: ['COGN', 'DVD', 'EMOTDIS'],
  SUD: ['ETHUD', 'OPIOIDUD'],
};

/**
 * Codes treated as one: ETH is the older v3 code for substance-abuse information and SUD its
 * successor; data labelled with either must be protected by a restriction on the other
 * (42 CFR Part 2 data is labelled both ways in the wild).
 */
const SENSITIVITY_ALIASES: Readonly<Record<string, string>> = { ETH: 'SUD' };

function parentMap(children: Readonly<Record<string, readonly string[]>>): Map<string, string> {
  const parents = new Map<string, string>();
  for (const [parent, kids] of Object.entries(children)) for (const kid of kids) parents.set(kid, parent);
  return parents;
}

const PURPOSE_PARENT = parentMap(PURPOSE_CHILDREN);
const SENSITIVITY_PARENT = parentMap(SENSITIVITY_CHILDREN);

function isSelfOrDescendant(parents: Map<string, string>, code: string, ancestor: string): boolean {
  // The tables are shallow and acyclic; the bound is a guard, not a requirement.
  let current: string | undefined = code;
  for (let depth = 0; current !== undefined && depth < 8; depth += 1) {
    if (current === ancestor) return true;
    current = parents.get(current);
  }
  return false;
}

/**
 * True when purpose `requested` is `granted` or one of its specialisations in v3 ActReason
 * (ETREAT is a kind of TREAT, BTG a kind of ETREAT). A provision about research therefore also
 * covers clinical-trial research: a restriction written at the general level must not be
 * escaped by asking with a more specific code.
 */
export function purposeSubsumes(granted: string, requested: string): boolean {
  return isSelfOrDescendant(PURPOSE_PARENT, requested, granted);
}

/** The ordered v3 Confidentiality scale, least to most restricted. */
const CONFIDENTIALITY_RANK: Readonly<Record<string, number>> = { U: 0, L: 1, M: 2, N: 3, R: 4, V: 5 };

/** Data with no confidentiality label is treated as normal (N), the HL7 default. */
const DEFAULT_CONFIDENTIALITY = 3;

/** The rank of a confidentiality label, or undefined for any other label. */
export function confidentialityRank(label: Coding): number | undefined {
  if (label.system !== CONSENT_SYSTEMS.confidentiality || label.code === undefined) return undefined;
  return CONFIDENTIALITY_RANK[label.code];
}

/** The highest confidentiality among labels (the data's "high water mark"), N when none. */
export function dataConfidentiality(labels: readonly Coding[]): number {
  let rank = -1;
  for (const label of labels) rank = Math.max(rank, confidentialityRank(label) ?? -1);
  return rank < 0 ? DEFAULT_CONFIDENTIALITY : rank;
}

/**
 * A comparable key for a non-confidentiality label. The v3 Confidentiality and v3 ActCode
 * systems share sensitivity codes (PSY, HIV, ETH, SDV; the former's are deprecated), so both
 * map into one `v3:` namespace; other systems compare by system and code.
 */
export function labelKey(label: Coding): string | undefined {
  if (label.code === undefined || label.code === '') return undefined;
  if (label.system === CONSENT_SYSTEMS.actCode || label.system === CONSENT_SYSTEMS.confidentiality) {
    return `v3:${SENSITIVITY_ALIASES[label.code] ?? label.code}`;
  }
  return `${label.system ?? ''}|${label.code}`;
}

/**
 * Whether a provision's security label covers data carrying `dataLabels` (R4
 * Consent.provision.securityLabel). Sensitivity labels use subsumption: a rule on SUD covers
 * data labelled ETHUD or OPIOIDUD. Confidentiality is a scale: a permit for R is a clearance
 * covering R "or lower" (the R4 definition's high water mark); a deny for R protects R and
 * everything more restricted (V), so tightening a label on data never escapes a restriction.
 */
export function labelCovers(provisionLabel: Coding, dataLabels: readonly Coding[], type: 'permit' | 'deny'): boolean {
  const rank = confidentialityRank(provisionLabel);
  if (rank !== undefined) {
    const data = dataConfidentiality(dataLabels);
    return type === 'permit' ? data <= rank : data >= rank;
  }
  const key = labelKey(provisionLabel);
  if (key === undefined) return false;
  return dataLabels.some((label) => {
    const dataKey = labelKey(label);
    if (dataKey === undefined) return false;
    if (dataKey === key) return true;
    if (!key.startsWith('v3:') || !dataKey.startsWith('v3:')) return false;
    return isSelfOrDescendant(SENSITIVITY_PARENT, dataKey.slice(3), key.slice(3));
  });
}

/**
 * Normalises a FHIR reference to `Type/id`: drops a server base, `_history` and any query or
 * fragment. Returns undefined for contained (`#x`), logical-only or malformed references, so a
 * reference the engine cannot resolve never compares equal to anything.
 */
export function normalizeReference(reference: string | undefined): string | undefined {
  if (reference === undefined) return undefined;
  const path = reference.split(/[?#]/, 1)[0] ?? '';
  const parts = path.split('/').filter((part) => part !== '');
  const history = parts.indexOf('_history');
  const useful = history >= 0 ? parts.slice(0, history) : parts;
  const type = useful[useful.length - 2];
  const id = useful[useful.length - 1];
  if (type === undefined || id === undefined) return undefined;
  if (!/^[A-Z][A-Za-z]{1,63}$/.test(type) || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) return undefined;
  return `${type}/${id}`;
}

/** The resource type of a normalised reference (`Practitioner/1` gives `Practitioner`). */
export function referenceType(reference: string): string {
  return reference.slice(0, reference.indexOf('/'));
}

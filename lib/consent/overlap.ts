/**
 * Finds consents of one patient that say the same thing twice (duplicates) or contradict each
 * other (a permit and a deny for the same recipient and data), so the sharing screen can offer
 * to tidy them up and can explain which one wins. Compares root provisions only: nested
 * provisions are exceptions inside one consent, which `decide()` already resolves.
 */
import type { CodeableConcept, Coding, Consent } from '@medplum/fhirtypes';
import { CONSENT_SYSTEMS, labelKey, normalizeReference, purposeSubsumes } from './codes';
import { consentLabel, isPatientDefault, isPrivacyConsent, rootType } from './evaluate';
import { consentWindow, overlaps, periodInterval, type Interval } from './time';

/** Stable finding codes with the explanation shown for each (consent ids only, no PHI). */
export const OVERLAP_FINDINGS = {
  'duplicate-consent': 'Consents {a} and {b} say the same thing (same recipients, data, actions and purposes) during overlapping periods; one of them can be revoked.',
  'conflicting-consent': 'Consent {a} permits and consent {b} denies access for the same recipients, data and purposes during overlapping periods; the denial takes precedence.',
} as const;
/** A stable finding code; see OVERLAP_FINDINGS. */
export type OverlapCode = keyof typeof OVERLAP_FINDINGS;

/** One problem between two consents: for a conflict, `consentIds` is [permitting, denying]. */
export interface OverlapFinding {
  code: OverlapCode;
  consentIds: [string, string];
  text: string;
}

interface Summary {
  id: string;
  patient: string;
  type: 'permit' | 'deny';
  /** Sorted; empty means anyone / anything, as an absent element does in a provision. */
  actors: string[];
  actions: string[];
  purposes: string[];
  classes: string[];
  /** Everything else that narrows the data, in a comparable form. */
  detail: string;
  window: Interval;
  /** The patient's own default (build.ts `patientDefault`), not a rule. */
  isDefault: boolean;
}

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function codes(codings: readonly Coding[], system: string): string[] {
  return codings.filter((c) => c.code && (c.system === undefined || c.system === system)).map((c) => c.code as string);
}

function conceptCodes(concepts: readonly CodeableConcept[] | undefined, system: string): string[] {
  return codes((concepts ?? []).flatMap((c) => c.coding ?? []), system);
}

/** The parts of an active, unexpired privacy consent that overlap detection compares. */
function summarize(consent: Consent, index: number, nowMs: number): Summary | undefined {
  const patient = normalizeReference(consent.patient?.reference);
  const type = isPatientDefault(consent) ? rootType({ ...consent, provision: undefined }) : rootType(consent);
  if (consent.status !== 'active' || !isPrivacyConsent(consent) || patient === undefined || type === undefined) return undefined;
  const bounds = consentWindow(consent);
  const window = periodInterval(bounds.start, bounds.end);
  if (window === undefined || window.high <= nowMs) return undefined;
  const p = consent.provision ?? {};
  const detail = JSON.stringify({
    labels: sorted((p.securityLabel ?? []).map((l) => labelKey(l) ?? `?${l.code}`)),
    code: sorted((p.code ?? []).flatMap((c) => c.coding ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`)),
    data: sorted((p.data ?? []).map((d) => `${d.meaning}:${normalizeReference(d.reference?.reference) ?? d.reference?.reference}`)),
    dataPeriod: [p.dataPeriod?.start ?? null, p.dataPeriod?.end ?? null],
    exceptions: p.provision ?? [],
  });
  return {
    id: consentLabel(consent, index),
    patient,
    type,
    actors: sorted((p.actor ?? []).map((a) => normalizeReference(a.reference?.reference) ?? `unresolved:${index}`)),
    actions: sorted(conceptCodes(p.action, CONSENT_SYSTEMS.action)),
    purposes: sorted(codes(p.purpose ?? [], CONSENT_SYSTEMS.actReason)),
    classes: sorted(codes(p.class ?? [], CONSENT_SYSTEMS.resourceTypes)),
    detail,
    window,
    isDefault: isPatientDefault(consent),
  };
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/** Empty means "all", so two sets meet when either is empty or they share a member. */
function meet(a: readonly string[], b: readonly string[], equal: (x: string, y: string) => boolean = (x, y) => x === y): boolean {
  return a.length === 0 || b.length === 0 || a.some((x) => b.some((y) => equal(x, y)));
}

function purposesMeet(x: string, y: string): boolean {
  return purposeSubsumes(x, y) || purposeSubsumes(y, x);
}

function finding(code: OverlapCode, a: string, b: string): OverlapFinding {
  return { code, consentIds: [a, b], text: OVERLAP_FINDINGS[code].replace('{a}', a).replace('{b}', b) };
}

/**
 * Duplicate and conflicting consents among `consents`, as of `now` (consents that are not
 * active, not patient-privacy, or whose window has ended are left out; scheduled ones count,
 * since they will overlap). Duplicates: same patient, type, recipients (Consent.provision.actor),
 * actions, purposes, resource types and other data conditions, with overlapping windows.
 * Conflicts: same patient, opposite types, and recipients, actions, purposes (with v3 ActReason
 * subsumption) and resource types that intersect, with overlapping windows; deny overrides
 * permit in `decide()`, so the explanation says the denial wins. Pure; sorted by code, then ids.
 */
export function findOverlaps(consents: readonly Consent[], now: Date): OverlapFinding[] {
  const nowMs = now.getTime();
  const summaries = consents.map((c, i) => summarize(c, i, nowMs)).filter((s): s is Summary => s !== undefined);
  const findings: OverlapFinding[] = [];
  summaries.forEach((a, i) => {
    for (const b of summaries.slice(i + 1)) {
      if (a.patient !== b.patient || !overlaps(a.window, b.window)) continue;
      // A patient's own default is not a rule: it never conflicts with a share or restriction.
      if (a.isDefault !== b.isDefault) continue;
      if (a.type === b.type) {
        const duplicate = same(a.actors, b.actors) && same(a.actions, b.actions) && same(a.purposes, b.purposes) && same(a.classes, b.classes) && a.detail === b.detail;
        if (duplicate) findings.push(finding('duplicate-consent', a.id, b.id));
        continue;
      }
      const conflict = meet(a.actors, b.actors) && meet(a.actions, b.actions) && meet(a.purposes, b.purposes, purposesMeet) && meet(a.classes, b.classes);
      if (conflict) findings.push(a.type === 'permit' ? finding('conflicting-consent', a.id, b.id) : finding('conflicting-consent', b.id, a.id));
    }
  });
  return findings.sort((x, y) => x.code.localeCompare(y.code) || x.consentIds.join().localeCompare(y.consentIds.join()));
}

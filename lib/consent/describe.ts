/**
 * Plain-language summaries of a patient's privacy Consents for the sharing centre: who can
 * (or cannot) see what, for what purpose, and until when. Pure; reads only the root provision,
 * which is what Housecall's builders write (nested provisions are summarised as exceptions).
 * Also carries the preview text a patient confirmed, kept on the Consent as an extension, so
 * the centre can show exactly what was agreed to (DESIGN: point-of-action sharing).
 */
import type { Consent } from '@medplum/fhirtypes';
import { SHARE_LINK_RECIPIENT_PREFIX } from './build';
import { isPatientDefault, rootType } from './evaluate';
import { effectiveStatus, type EffectiveStatus } from './lifecycle';
import { LABEL_NAMES } from './why-hidden';

export { describeWhyHidden } from './why-hidden';

/** Extension on Consent holding the preview text the patient confirmed before recording. */
export const CONSENT_PREVIEW_EXTENSION = 'urn:housecall:consent-preview';

/** What the sharing centre shows for one consent. */
export interface ConsentSummary {
  id: string;
  /** `default`: the patient's own answer for whatever their other choices do not cover. */
  kind: 'share' | 'restrict' | 'default';
  who: string;
  what: string;
  purpose: string;
  until: string;
  status: EffectiveStatus;
  /** True while revoking still changes something (active or scheduled). */
  revocable: boolean;
  preview?: string;
}

const TYPE_NAMES: Record<string, string> = {
  AllergyIntolerance: 'allergies', Condition: 'conditions', MedicationRequest: 'medicines', MedicationStatement: 'medicines',
  Observation: 'results and vital signs', DiagnosticReport: 'reports', Immunization: 'vaccinations', Procedure: 'procedures',
  Encounter: 'visits', Patient: 'personal details', DocumentReference: 'documents',
};

const ACTOR_WORDS: Record<string, string> = {
  Practitioner: 'a clinician', PractitionerRole: 'a clinician', Organization: 'an organisation', CareTeam: 'a care team', RelatedPerson: 'a relative or carer', Group: 'a group',
};

/** Who a consent names, by the name recorded with it; never an id ("a clinician, name not recorded" without one). */
function describeActor(reference: string | undefined, display: string | undefined): string {
  if (!reference) return 'everyone';
  if (reference.startsWith(SHARE_LINK_RECIPIENT_PREFIX)) return 'anyone with your share link';
  if (display?.trim()) return display.trim();
  const type = reference.split('/').at(-2) ?? '';
  return `${ACTOR_WORDS[type] ?? 'someone'}, name not recorded`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Names FHIR resource types the way a patient would (`Observation` → "results and vital signs"). */
export function describeResourceTypes(types: readonly string[]): string {
  if (types.length === 0) return 'your whole record';
  return unique(types.map((t) => TYPE_NAMES[t] ?? t)).join(', ');
}

/** Summarises one consent at `now`; the consent must carry an id. */
export function describeConsent(consent: Consent, now: Date): ConsentSummary {
  const p = consent.provision ?? {};
  const kind = isPatientDefault(consent) ? 'default' : p.type === 'deny' ? 'restrict' : 'share';
  const actors = (p.actor ?? []).filter((a) => !!a.reference?.reference);
  const labels = (p.securityLabel ?? []).map((l) => LABEL_NAMES[l.code ?? ''] ?? l.code ?? '').filter(Boolean);
  const types = (p.class ?? []).map((c) => c.code ?? '').filter(Boolean);
  const who = actors.length > 0 ? actors.map((a) => describeActor(a.reference?.reference, a.reference?.display)).join(', ') : 'everyone';
  const what = labels.length > 0 ? `information marked ${unique(labels).join(', ')}` : describeResourceTypes(types);
  const purposes = (p.purpose ?? []).map((c) => c.display ?? c.code ?? '').filter(Boolean);
  const end = p.period?.end;
  const status = effectiveStatus(consent, now);
  const preview = consent.extension?.find((e) => e.url === CONSENT_PREVIEW_EXTENSION)?.valueString;
  return {
    id: consent.id ?? '',
    kind,
    who: kind === 'default' ? (rootType({ ...consent, provision: undefined }) === 'deny' ? 'only the people you share with' : 'everyone') : who,
    what,
    purpose: purposes.length > 0 ? purposes.join(', ') : 'any purpose',
    until: end ? new Date(end).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }) : 'until you revoke it',
    status,
    revocable: status === 'active' || status === 'scheduled',
    ...(preview ? { preview } : {}),
  };
}

/** The sentence the centre leads with, e.g. "Practitioner p1 can see your allergies." */
export function consentSentence(s: ConsentSummary): string {
  const who = s.who.charAt(0).toUpperCase() + s.who.slice(1);
  if (s.kind === 'default') return s.who === 'everyone' ? 'Anyone caring for you can see what you have not restricted.' : 'Only the people you share with can see your record.';
  if (s.kind === 'share') return `${who} can see ${s.what}.`;
  return s.who === 'everyone' ? `No one can see ${s.what}.` : `${who} cannot see ${s.what}.`;
}

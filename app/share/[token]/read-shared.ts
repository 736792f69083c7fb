import 'server-only';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { applyConsent, shareLinkRecipient } from '@/lib/consent';
import { loadConsentContext } from '@/lib/consent/server';
import { authorizeFhirRequest, filterResponse, parseFhirRequest } from '@/lib/fhir';
import { forwardToEhr } from '@/lib/fhir/server';
import { findIssuerById, freshAccessToken, parseGrantedScopes, smartConfig } from '@/lib/smart';
import type { LaunchRecord, ShareLink, Store } from '@/lib/store';
import { answerGap } from '@/lib/fhir/compose/items';
import { OBSERVATION_CATEGORIES } from '@/lib/fhir/compose/requests';
import { toResultSeries } from '@/lib/fhir/compose/observations';

/**
 * Reads one resource type for a share link through the same steps as the proxy: the patient
 * launch's scopes and compartment, a fresh token, the patient's consents, then filtering. A
 * link made from a consent is judged as its own recipient (for treatment), so it shows exactly
 * what that consent and the patient's other choices permit; an older link without one, as the
 * patient. Throws (LaunchError, ProxyError) when the launch has ended or the scopes do not allow it.
 */
export interface SharedAnswer {
  resources: Resource[];
  /** The EHR did not answer the read (an error status): the section must not read as empty. */
  unavailable: boolean;
  /** The EHR's answer was less than the whole (items.ts answerGap): entries left out, or only its first page. */
  partial: 'withheld' | 'more' | undefined;
}

/** The search for one shared type. Observations by category: Epic refuses an Observation search that names none. */
function sharedSearch(resourceType: string, patientId: string): URLSearchParams {
  return new URLSearchParams({ patient: patientId, ...(resourceType === 'Observation' ? { category: OBSERVATION_CATEGORIES.join(','), _sort: '-date' } : {}), _count: '50' });
}

export async function readShared(launch: LaunchRecord & { patientId: string }, link: Pick<ShareLink, 'id' | 'consentId'>, resourceType: string, store: Store): Promise<SharedAnswer> {
  const issuer = findIssuerById(smartConfig(), launch.issuerId);
  if (!issuer) throw new Error('issuer gone');
  const parsed = parseFhirRequest('GET', [resourceType], sharedSearch(resourceType, launch.patientId));
  const authorized = authorizeFhirRequest(parsed, { patientId: launch.patientId, grants: parseGrantedScopes(launch.scope) });
  const token = await freshAccessToken(launch, { store: store.launches, config: smartConfig() });
  const upstream = await forwardToEhr(authorized, { fhirBase: issuer.fhirBaseUrl, accessToken: token });
  if (upstream.status >= 300) return { resources: [], unavailable: true, partial: undefined };
  const compartmental = filterResponse(authorized, upstream.body, { patientId: launch.patientId, fhirBase: issuer.fhirBaseUrl, proxyBase: '/share' });
  const loaded = await loadConsentContext(launch, store.consents);
  const consent = loaded && link.consentId !== null ? { ...loaded, actor: { reference: shareLinkRecipient(link.id), roles: [], memberOf: [] }, purposeOfUse: 'TREAT' } : loaded;
  const judged = consent ? applyConsent(compartmental, consent).body : compartmental;
  const resources = ((judged as Bundle | null)?.entry ?? []).flatMap((e) => (e.resource && e.resource.resourceType === resourceType ? [e.resource] : []));
  return { resources, unavailable: false, partial: answerGap(judged) };
}

/**
 * The lines a visiting clinician reads for one shared type. Results as the chart reads them
 * (observations.ts: limits such as ">20" kept, human units, blood pressure whole, the flag);
 * other types by name and date.
 */
export function sharedLines(resourceType: string, resources: Resource[]): SharedLine[] {
  if (resourceType !== 'Observation') return resources.map(sharedLine);
  const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource, search: { mode: 'match' } })) };
  return toResultSeries(bundle, { source: 'EHR', fetchedAt: new Date().toISOString() }).flatMap((s) =>
    s.points.map((p) => ({ id: p.key, text: `${s.label}: ${p.text}${p.flag ? ` (${p.flag})` : ''}`, when: p.date })),
  );
}

export interface SharedLine {
  id: string;
  text: string;
  when: string | undefined;
}

/** One line a visiting clinician reads: what, and when. */
export function sharedLine(r: Resource): SharedLine {
  const any = r as Resource & { code?: { text?: string; coding?: { display?: string }[] }; medicationCodeableConcept?: { text?: string; coding?: { display?: string }[] }; valueQuantity?: { value?: number; unit?: string }; recordedDate?: string; effectiveDateTime?: string; authoredOn?: string; onsetDateTime?: string; occurrenceDateTime?: string; vaccineCode?: { text?: string; coding?: { display?: string }[] } };
  const concept = any.code ?? any.medicationCodeableConcept ?? any.vaccineCode;
  const name = concept?.text ?? concept?.coding?.[0]?.display ?? r.resourceType;
  const value = any.valueQuantity?.value !== undefined ? `: ${any.valueQuantity.value} ${any.valueQuantity.unit ?? ''}`.trimEnd() : '';
  return { id: `${r.resourceType}/${r.id ?? ''}`, text: `${name}${value}`, when: any.effectiveDateTime ?? any.recordedDate ?? any.authoredOn ?? any.onsetDateTime ?? any.occurrenceDateTime };
}

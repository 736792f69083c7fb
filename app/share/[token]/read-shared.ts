import 'server-only';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import { applyConsent, shareLinkRecipient } from '@/lib/consent';
import { loadConsentContext } from '@/lib/consent/server';
import { authorizeFhirRequest, filterResponse, parseFhirRequest } from '@/lib/fhir';
import { forwardToEhr } from '@/lib/fhir/server';
import { findIssuerById, freshAccessToken, parseGrantedScopes, smartConfig } from '@/lib/smart';
import type { LaunchRecord, ShareLink, Store } from '@/lib/store';

/**
 * Reads one resource type for a share link through the same steps as the proxy: the patient
 * launch's scopes and compartment, a fresh token, the patient's consents, then filtering. A
 * link made from a consent is judged as its own recipient (for treatment), so it shows exactly
 * what that consent and the patient's other choices permit; an older link without one, as the
 * patient. Throws (LaunchError, ProxyError) when the launch has ended or the scopes do not allow it.
 */
export async function readShared(launch: LaunchRecord & { patientId: string }, link: Pick<ShareLink, 'id' | 'consentId'>, resourceType: string, store: Store): Promise<Resource[]> {
  const issuer = findIssuerById(smartConfig(), launch.issuerId);
  if (!issuer) throw new Error('issuer gone');
  const parsed = parseFhirRequest('GET', [resourceType], new URLSearchParams({ patient: launch.patientId, _count: '50' }));
  const authorized = authorizeFhirRequest(parsed, { patientId: launch.patientId, grants: parseGrantedScopes(launch.scope) });
  const token = await freshAccessToken(launch, { store: store.launches, config: smartConfig() });
  const upstream = await forwardToEhr(authorized, { fhirBase: issuer.fhirBaseUrl, accessToken: token });
  if (upstream.status >= 300) return [];
  const compartmental = filterResponse(authorized, upstream.body, { patientId: launch.patientId, fhirBase: issuer.fhirBaseUrl, proxyBase: '/share' });
  const loaded = await loadConsentContext(launch, store.consents);
  const consent = loaded && link.consentId !== null ? { ...loaded, actor: { reference: shareLinkRecipient(link.id), roles: [], memberOf: [] }, purposeOfUse: 'TREAT' } : loaded;
  const judged = consent ? applyConsent(compartmental, consent).body : compartmental;
  return ((judged as Bundle | null)?.entry ?? []).flatMap((e) => (e.resource && e.resource.resourceType === resourceType ? [e.resource] : []));
}

/** One line a visiting clinician reads: what, and when. */
export function sharedLine(r: Resource): { id: string; text: string; when: string | undefined } {
  const any = r as Resource & { code?: { text?: string; coding?: { display?: string }[] }; medicationCodeableConcept?: { text?: string; coding?: { display?: string }[] }; valueQuantity?: { value?: number; unit?: string }; recordedDate?: string; effectiveDateTime?: string; authoredOn?: string; onsetDateTime?: string; occurrenceDateTime?: string; vaccineCode?: { text?: string; coding?: { display?: string }[] } };
  const concept = any.code ?? any.medicationCodeableConcept ?? any.vaccineCode;
  const name = concept?.text ?? concept?.coding?.[0]?.display ?? r.resourceType;
  const value = any.valueQuantity?.value !== undefined ? `: ${any.valueQuantity.value} ${any.valueQuantity.unit ?? ''}`.trimEnd() : '';
  return { id: `${r.resourceType}/${r.id ?? ''}`, text: `${name}${value}`, when: any.effectiveDateTime ?? any.recordedDate ?? any.authoredOn ?? any.onsetDateTime ?? any.occurrenceDateTime };
}

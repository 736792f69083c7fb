import 'server-only';
/**
 * Writing Housecall's consents to the EHR where it accepts them. The EHR's CapabilityStatement
 * (`{base}/metadata`) says whether it does; it is fetched once and reused for the discovery cache
 * lifetime, like the SMART configuration. Housecall's store stays the source of truth: these
 * calls only report what the EHR said, and the caller decides what to keep.
 */
import type { CapabilityStatement, Consent } from '@medplum/fhirtypes';
import { processSingleton } from '../process-singleton';
import { ProxyError } from './outcome';

const TIMEOUT_MS = 5_000;
const cache = processSingleton('capability-cache', () => new Map<string, { at: number; value: CapabilityStatement }>());

/** Identifier system under which the EHR copy carries Housecall's consent id. */
export const HOUSECALL_CONSENT_IDENTIFIER = 'urn:housecall:consent-id';

/** The issuer's CapabilityStatement, cached for `cacheSeconds`; undefined when it cannot be read (not cached, so the next call retries). */
export async function fetchCapability(fhirBase: string, cacheSeconds: number, fetchImpl: typeof fetch = fetch): Promise<CapabilityStatement | undefined> {
  const hit = cache.get(fhirBase);
  if (hit && Date.now() - hit.at < cacheSeconds * 1000) return hit.value;
  try {
    const res = await fetchImpl(`${fhirBase.replace(/\/+$/, '')}/metadata`, { headers: { accept: 'application/fhir+json' }, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    if (!res.ok) return undefined;
    const body = (await res.json()) as CapabilityStatement;
    if (body?.resourceType !== 'CapabilityStatement') return undefined;
    cache.set(fhirBase, { at: Date.now(), value: body });
    return body;
  } catch {
    return undefined;
  }
}

/** Whether a CapabilityStatement lets a client create and update Consent (rest.resource.interaction). Pure. */
export function consentWriteSupport(capability: CapabilityStatement | undefined): { create: boolean; update: boolean } {
  const resource = capability?.rest?.filter((r) => r.mode === 'server').flatMap((r) => r.resource ?? []).find((r) => r.type === 'Consent');
  const codes = new Set((resource?.interaction ?? []).map((i) => i.code));
  return { create: codes.has('create'), update: codes.has('update') };
}

/**
 * Creates (no `ehr`) or updates (`ehr` given, with If-Match on its version) the EHR copy of a
 * consent. The copy carries Housecall's id as an identifier, never Housecall's resource id or
 * meta. Throws ProxyError('upstream-error' | 'upstream-timeout') when the EHR does not accept it.
 */
export async function sendConsentToEhr(
  ctx: { fhirBase: string; accessToken: string },
  consent: Consent & { id: string },
  ehr: { id: string; version: string | null } | undefined,
  fetchImpl: typeof fetch = fetch,
): Promise<{ id: string; version: string | null }> {
  const { id: localId, meta: _meta, ...rest } = consent;
  const others = (consent.identifier ?? []).filter((i) => i.system !== HOUSECALL_CONSENT_IDENTIFIER);
  const copy: Consent = { ...rest, identifier: [...others, { system: HOUSECALL_CONSENT_IDENTIFIER, value: localId }], ...(ehr ? { id: ehr.id } : {}) };
  const base = ctx.fhirBase.replace(/\/+$/, '');
  const headers: Record<string, string> = { accept: 'application/fhir+json', 'content-type': 'application/fhir+json', authorization: `Bearer ${ctx.accessToken}` };
  if (ehr?.version) headers['if-match'] = `W/"${ehr.version}"`;
  let res: Response;
  try {
    res = await fetchImpl(ehr ? `${base}/Consent/${encodeURIComponent(ehr.id)}` : `${base}/Consent`, { method: ehr ? 'PUT' : 'POST', headers, body: JSON.stringify(copy), signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
  } catch (cause) {
    throw new ProxyError((cause as Error)?.name === 'TimeoutError' ? 'upstream-timeout' : 'upstream-error');
  }
  if (res.status !== 200 && res.status !== 201) throw new ProxyError('upstream-error', `http-${res.status}`);
  const body = (await res.json().catch(() => null)) as Consent | null;
  const id = body?.id ?? ehr?.id;
  if (!id) throw new ProxyError('upstream-error', 'no id');
  return { id, version: body?.meta?.versionId ?? null };
}

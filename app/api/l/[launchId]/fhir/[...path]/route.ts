import { recordAudit } from '@/lib/audit';
import { applyConsent, decideForResource, decideForType, withheldSearchset, type ConsentAction, type ConsentContext } from '@/lib/consent';
import { loadConsentContext } from '@/lib/consent/server';
import { authorizeFhirRequest, authorizeWriteBody, fhirResponse, inCompartment, filterResponse, outcomeResponse, parseFhirRequest, ProxyError, type ParsedFhirRequest } from '@/lib/fhir';
import { forwardedHeaders, forwardToEhr, readBodyCapped, syncCapabilities } from '@/lib/fhir/server';
import { authenticateLaunch, findIssuerById, LaunchError, sendWithFreshToken, parseGrantedScopes, smartConfig } from '@/lib/smart';
import { getStore, type LaunchRecord } from '@/lib/store';
import { logger, metrics } from '@/lib/telemetry';
import type { Resource } from '@medplum/fhirtypes';

export const dynamic = 'force-dynamic';
const MAX_BODY = 1024 * 1024;

type Ctx = { params: Promise<{ launchId: string; path: string[] }> };

/**
 * The BFF proxy: parse → authenticate → authorize → act → filter → audit → respond.
 * The browser never talks to the EHR and never sees a token.
 */
async function handle(request: Request, ctx: Ctx): Promise<Response> {
  const started = performance.now();
  const { launchId, path } = await ctx.params;
  const store = await getStore();
  let parsed: ParsedFhirRequest | undefined;
  let launch: LaunchRecord | undefined;
  let consent: ConsentContext | null = null;
  const audit = (outcome: 'success' | 'denied' | 'failure', outcomeCode?: string) => {
    metrics.proxy.observe({ interaction: parsed?.interaction ?? 'unparsed', resource_type: parsed?.resourceType ?? 'unknown', outcome: outcomeCode ?? outcome }, (performance.now() - started) / 1000);
    if (outcomeCode === 'consent-denied') metrics.consentDenials.inc({ resource_type: parsed?.resourceType ?? 'unknown' });
    return recordAudit(store.audit, {
      category: 'access',
      outcome,
      outcomeCode,
      subtype: parsed ? (parsed.interaction === 'search' ? 'search-type' : parsed.interaction) : 'unparsed',
      actor: { fhirUser: launch?.fhirUser ?? null, clientId: 'housecall', issuerId: launch?.issuerId ?? 'unknown' },
      patientId: launch?.patientId ?? null,
      launchId,
      purposeOfUse: consent ? [consent.purposeOfUse] : undefined,
      entity: parsed
        ? parsed.interaction === 'search'
          ? { query: `${parsed.resourceType}?${parsed.query.toString()}` }
          : { reference: `${parsed.resourceType}/${parsed.id}` }
        : undefined,
    });
  };
  try {
    const url = new URL(request.url);
    if (request.method === 'GET' && path.length === 1 && path[0] === 'metadata' && [...url.searchParams].length === 0) {
      // The EHR's capabilities, trimmed to what sync chooses its strategies from (no patient data):
      // a live launch of this browser is all it takes.
      parsed = { interaction: 'search', resourceType: 'metadata', query: new URLSearchParams() };
      const access = await authenticateLaunch(launchId, request.headers.get('cookie'), store.launches);
      if (!access.ok) throw new ProxyError(access.reason === 'ended' ? 'launch-ended' : 'not-authenticated');
      launch = access.launch;
      const issuer = findIssuerById(smartConfig(), access.launch.issuerId);
      if (!issuer) throw new ProxyError('launch-ended');
      const metadataRequest = parsed;
      const upstream = await sendWithFreshToken(access.launch, { store: store.launches, config: smartConfig() }, (accessToken) => forwardToEhr(metadataRequest, { fhirBase: issuer.fhirBaseUrl, accessToken }));
      if (upstream.status !== 200) throw new ProxyError('upstream-error');
      await audit('success', 'http-200');
      return fhirResponse(200, syncCapabilities(upstream.body), { date: upstream.date });
    }
    parsed = parseFhirRequest(request.method, path, url.searchParams);

    const { launches } = store;
    const access = await authenticateLaunch(launchId, request.headers.get('cookie'), launches);
    if (!access.ok) throw new ProxyError(access.reason === 'ended' ? 'launch-ended' : 'not-authenticated');
    launch = access.launch;
    const issuer = findIssuerById(smartConfig(), access.launch.issuerId);
    if (!issuer) throw new ProxyError('launch-ended');

    const authorized = authorizeFhirRequest(parsed, { patientId: access.launch.patientId, grants: parseGrantedScopes(access.launch.scope) });

    // Consent, judged on the consents as they are now: first for the type, then per resource.
    consent = await loadConsentContext(access.launch, store.consents);
    const action: ConsentAction = parsed.interaction === 'create' ? 'collect' : parsed.interaction === 'update' || parsed.interaction === 'delete' ? 'correct' : 'access';
    const typeDecision = consent ? decideForType(consent, parsed.resourceType, action) : undefined;
    if (typeDecision?.decision === 'deny') {
      if (parsed.interaction === 'search') {
        await audit('denied', 'consent-denied');
        return fhirResponse(200, withheldSearchset(typeDecision));
      }
      throw new ProxyError(action === 'access' ? 'not-found' : 'consent-denied');
    }

    let body: string | undefined;
    if (parsed.interaction === 'create' || parsed.interaction === 'update') {
      body = await readBodyCapped(request, MAX_BODY);
      const payload = parseBody(body, parsed.resourceType);
      authorizeWriteBody(parsed, payload, { patientId: access.launch.patientId });
      if (consent && decideForResource(consent, payload, action).decision === 'deny') throw new ProxyError('consent-denied');
    }
    const tokenDeps = { store: launches, config: smartConfig() };
    const write = (accessToken: string) => forwardToEhr(authorized, {
      fhirBase: issuer.fhirBaseUrl,
      accessToken,
      body,
      ifMatch: request.headers.get('if-match'),
      ifNoneExist: request.headers.get('if-none-exist'),
    });
    // An update or delete first reads what it would change: a resource of another patient is
    // answered as missing and never touched (the EHR may check too; Housecall does not rely on it).
    const patientId = access.launch.patientId;
    const send = async (accessToken: string) => {
      // (A Patient's own id already decides its compartment: authorizeWriteBody checked it.)
      if (patientId && parsed!.resourceType !== 'Patient' && (parsed!.interaction === 'update' || parsed!.interaction === 'delete')) {
        const current = await forwardToEhr({ interaction: 'read', resourceType: parsed!.resourceType, id: parsed!.id!, query: new URLSearchParams() }, { fhirBase: issuer.fhirBaseUrl, accessToken });
        // A refused or unavailable EHR answers for the write too (401 → refresh below; 429/5xx keep their Retry-After).
        if (current.status === 401 || current.status === 429 || current.status >= 500) return current;
        if (current.status === 200 && !inCompartment(current.body as Resource, patientId)) throw new ProxyError('not-found');
      }
      return write(accessToken);
    };
    // A 401 gets one refresh and one retry; a second 401 ends the launch (launch-ended).
    const upstream = await sendWithFreshToken(access.launch, tokenDeps, send);

    const compartmental = filterResponse(authorized, upstream.body, { patientId: access.launch.patientId, fhirBase: issuer.fhirBaseUrl, proxyBase: `/api/l/${launchId}/fhir` });
    const judged = consent && upstream.status < 300 ? applyConsent(compartmental, consent) : { body: compartmental, hidden: 0, alerts: 0, withheld: false };
    if (judged.hidden > 0) metrics.consentDenials.inc({ resource_type: parsed.resourceType }, judged.hidden);
    if (judged.withheld) throw new ProxyError('not-found');
    if (judged.alerts > 0) logger.warn({ event: 'consent.break_glass_access', launchId, type: parsed.resourceType, count: judged.alerts }, 'break-glass access to restricted data');
    const filtered = judged.body;

    await audit(upstream.status < 400 ? 'success' : upstream.status === 401 || upstream.status === 403 || upstream.status === 404 ? 'denied' : 'failure', `http-${upstream.status}`);
    logger.info({ event: 'proxy.request', launchId, interaction: parsed.interaction, type: parsed.resourceType, status: upstream.status, ms: Math.round(performance.now() - started) }, 'proxied');
    return fhirResponse(upstream.status, filtered, forwardedHeaders(upstream));
  } catch (caught) {
    const e = caught instanceof LaunchError
      ? caught.code === 'launch_ended' ? new ProxyError('launch-ended') : caught.code === 'refresh_busy' ? new ProxyError('upstream-timeout', 'access renewal still running') : caught
      : caught;
    if (!(e instanceof ProxyError)) logger.error({ event: 'proxy.unexpected', launchId, err: { name: (e as Error)?.name, message: (e as Error)?.message } }, 'proxy failure');
    else logger.info({ event: 'proxy.refused', launchId, outcome: e.code }, 'proxy refused');
    try {
      await audit(e instanceof ProxyError && e.status < 500 ? 'denied' : 'failure', e instanceof ProxyError ? e.code : 'unexpected');
    } catch (auditError) {
      logger.error({ event: 'audit.write_failed', launchId, err: { name: (auditError as Error).name } }, 'audit write failed');
    }
    return outcomeResponse(e);
  }
}

function parseBody(text: string, resourceType: string): Resource {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProxyError('invalid-body', 'not JSON');
  }
  if (!json || typeof json !== 'object' || (json as Resource).resourceType !== resourceType) throw new ProxyError('invalid-body', 'resourceType does not match the path');
  return json as Resource;
}

export const GET = handle;
export const POST = handle;
export const PUT = handle;
export const DELETE = handle;

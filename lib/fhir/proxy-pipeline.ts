import 'server-only';
import { recordAudit } from '@/lib/audit';
import { endLapsedBreakGlass, loadConsentContext, runProxyRequest, WithheldSearch, type EhrCall, type ProxyObservations } from '@/lib/consent/server';
import { authorizeFhirRequest, fhirResponse, messageBodyCap, outcomeResponse, parseFhirRequest, ProxyError, type ParsedFhirRequest } from './index';
import { forwardedHeaders, forwardToEhr, readBodyCapped, syncCapabilities } from './server';
import { askedGrants, authenticateLaunch, findIssuerById, LaunchError, sendWithFreshToken, parseGrantedScopes, smartConfig } from '@/lib/smart';
import { getStore, type LaunchRecord } from '@/lib/store';
import { logger, metrics } from '@/lib/telemetry';

/** Which launch and which FHIR path (below the proxy's base) a proxied request is for. */
export interface ProxyTarget {
  launchId: string;
  path: string[];
}

/**
 * The FHIR proxy's pipeline: parse → authenticate → authorize → act → filter → audit → respond.
 * The browser never talks to the EHR and never sees a token. The route
 * (app/api/l/[launchId]/fhir/[...path]) runs it for the browser's requests after its security
 * checks; the pages that compose their first screen on the server (first-screen.ts) run it for
 * the same requests, so every answer is judged, filtered and audited the same way.
 */
export async function proxyFhirRequest(request: Request, target: ProxyTarget, requestId: string): Promise<Response> {
  const started = performance.now();
  const { launchId, path } = target;
  const store = await getStore();
  let parsed: ParsedFhirRequest | undefined;
  let launch: LaunchRecord | undefined;
  const seen: ProxyObservations = { consent: null, decidedBy: [], hidden: 0, alerts: 0 };
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
      requestId,
      purposeOfUse: seen.consent ? [seen.consent.purposeOfUse] : undefined,
      consents: seen.decidedBy,
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

    const authorized = authorizeFhirRequest(parsed, { patientId: access.launch.patientId, grants: parseGrantedScopes(access.launch.scope), asked: askedGrants(issuer) });

    const tokenDeps = { store: launches, config: smartConfig() };
    // One request to the EHR; a 401 gets one refresh and one retry, a second 401 ends the launch (launch-ended).
    const ehr: EhrCall = (req, options = {}) => sendWithFreshToken(access.launch, tokenDeps, (accessToken) => forwardToEhr(req, { fhirBase: issuer.fhirBaseUrl, accessToken, ...options }));
    await endLapsedBreakGlass(access.launch, store);
    // The consent store down fails closed, before the EHR is asked or at release, with its own code.
    const loadConsent = () => loadConsentContext(access.launch, store.consents, new Date(), { purposeOfUse: issuer.purposeOfUse, breakGlassNeverOverrides: issuer.breakGlass.neverOverrides })
      .catch((e: unknown) => {
        logger.error({ event: 'consent.load_failed', launchId, err: { name: (e as Error)?.name } }, 'consent store unavailable');
        throw new ProxyError('consent-unavailable');
      });
    let body: string | undefined;
    if (parsed.interaction === 'create' || parsed.interaction === 'update') {
      body = await readBodyCapped(request, messageBodyCap(parsed));
    }
    let upstream;
    try {
      upstream = await runProxyRequest({
        request: authorized, patientId: access.launch.patientId, body, ifMatch: request.headers.get('if-match'), ifNoneExist: request.headers.get('if-none-exist'), fhirUser: access.launch.fhirUser,
        fhirBase: issuer.fhirBaseUrl, proxyBase: `/api/l/${launchId}/fhir`,
      }, { ehr, loadConsent }, seen);
    } catch (e) {
      if (!(e instanceof WithheldSearch)) throw e;
      await audit('denied', 'consent-denied');
      return fhirResponse(200, e.body);
    }
    if (seen.hidden > 0) metrics.consentDenials.inc({ resource_type: parsed.resourceType }, seen.hidden);
    if (seen.alerts > 0) logger.warn({ event: 'consent.break_glass_access', launchId, type: parsed.resourceType, count: seen.alerts }, 'break-glass access to restricted data');

    await audit(upstream.status < 400 ? 'success' : upstream.status === 401 || upstream.status === 403 || upstream.status === 404 ? 'denied' : 'failure', `http-${upstream.status}`);
    logger.info({ event: 'proxy.request', launchId, interaction: parsed.interaction, type: parsed.resourceType, status: upstream.status, ms: Math.round(performance.now() - started) }, 'proxied');
    return fhirResponse(upstream.status, upstream.body, upstream.from ? forwardedHeaders(upstream.from) : {});
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

import 'server-only';
/** Server-only part of lib/consent (it reads the consent store); the engine itself is in ./index. */
export { loadConsentContext, consentPolicy, purposeOfUseFor, type IssuerConsentOptions } from './load-context';
export { endConsent, checkLinkConsent, type ConsentChanger, type EndingEvent, type EndConsentResult } from './consent-changes';
export { launchConsentDirective, type ConsentDirective } from './sync-directive';
export { recordConsentsAtEhr, type EhrConsentPort, type EhrRecordReport } from './ehr-record';
export { breakGlassPrivilege, startBreakGlass, stopBreakGlass, endLapsedBreakGlass, auditBreakGlassRefused, type BreakGlassPrivilege } from './break-glass';
// The proxy's act-and-filter steps (pure, with the EHR and consent store as parameters); only the proxy route uses them.
export { runProxyRequest, WithheldSearch, RECOUNT_LIMIT, type EhrCall, type EhrAnswer, type ProxyRequest, type ProxyDeps, type ProxyObservations, type ProxyAnswer } from './proxy-pipeline';

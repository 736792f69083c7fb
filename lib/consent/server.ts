import 'server-only';
/** Server-only part of lib/consent (it reads the consent store); the engine itself is in ./index. */
export { loadConsentContext, consentPolicy, purposeOfUseFor, type IssuerConsentOptions } from './load-context';
export { endConsent, checkLinkConsent, type ConsentChanger, type EndingEvent, type EndConsentResult } from './consent-changes';
export { launchConsentDirective, type ConsentDirective } from './sync-directive';
export { recordConsentsAtEhr, type EhrConsentPort, type EhrRecordReport } from './ehr-record';
export { breakGlassPrivilege, startBreakGlass, stopBreakGlass, endLapsedBreakGlass, auditBreakGlassRefused, type BreakGlassPrivilege } from './break-glass';

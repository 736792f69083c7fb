import 'server-only';
/** Server-only part of lib/fhir (it sees tokens); pure parts are in ./index. */
export { forwardToEhr, forwardedHeaders, upstreamUrl, UPSTREAM_TIMEOUT_MS, MAX_RESPONSE_BYTES, type UpstreamResponse } from './forward';
export { fetchCapability, consentWriteSupport, sendConsentToEhr, HOUSECALL_CONSENT_IDENTIFIER } from './ehr-consent';
export { readBodyCapped, readTextCapped } from './read-body';
export { syncCapabilities } from './capabilities';
export { confirmCarePerson, namePeopleInHistory, type EhrRead } from './care-person';

import 'server-only';
/** Server-only part of lib/consent (it reads the consent store); the engine itself is in ./index. */
export { loadConsentContext, consentPolicy } from './load-context';

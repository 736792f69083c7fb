import 'server-only';
/**
 * Ending a consent and everything made from it (DESIGN §1 Consent: revocation invalidates share
 * links and is recorded). The proxy needs nothing here: it loads consents fresh on every
 * request, so the next request is judged without the ended one. Share links made from the
 * consent end with it, and each ending is an audit event the patient can see.
 */
import type { Consent } from '@medplum/fhirtypes';
import { recordAudit } from '../audit';
import type { ShareLink, ShareLinkEndReason, Store } from '../store';
import { effectiveStatus, transition, type TransitionErrorCode } from './lifecycle';

/** Who changes a consent: the patient's launch (its issuer and patient say whose consents it may change). */
export interface ConsentChanger {
  launchId: string;
  patientId: string;
  fhirUser: string | null;
  issuerId: string;
}

/** How a consent ends by someone's act. */
export type EndingEvent = 'revoke' | 'mark-entered-in-error';

export type EndConsentResult = { ok: true; consent: Consent; endedLinks: string[] } | { ok: false; code: 'not-found' | TransitionErrorCode };

const REASON: Record<EndingEvent, Exclude<ShareLinkEndReason, 'link-revoked' | 'consent-expired'>> = {
  revoke: 'consent-revoked',
  'mark-entered-in-error': 'consent-entered-in-error',
};

async function auditLinksEnded(store: Store, by: Pick<ConsentChanger, 'launchId' | 'patientId' | 'fhirUser' | 'issuerId'>, ids: readonly string[], outcomeCode: string): Promise<void> {
  for (const id of ids) {
    await recordAudit(store.audit, {
      category: 'consent', outcome: 'success', outcomeCode, subtype: 'share-link-revoke', actor: { fhirUser: by.fhirUser, clientId: 'housecall', issuerId: by.issuerId },
      patientId: by.patientId, launchId: by.launchId, entity: { reference: `urn:housecall:share-link:${id}` },
    });
  }
}

/**
 * Revokes a consent of `by.patientId` at `by.issuerId` (or marks it entered-in-error), keeps the
 * new version, ends the share links made from it and records each step. A consent of another
 * patient, or of the same patient id at another issuer, answers `not-found`, so its existence is
 * not revealed.
 */
export async function endConsent(store: Store, consentId: string, event: EndingEvent, by: ConsentChanger, now: Date = new Date()): Promise<EndConsentResult> {
  const owner = { issuerId: by.issuerId, patientId: by.patientId };
  const consent = await store.consents.get(owner, consentId);
  if (!consent || consent.patient?.reference !== `Patient/${by.patientId}`) return { ok: false, code: 'not-found' };
  const result = transition(consent, event, now, by.fhirUser ?? undefined);
  if (!result.ok) return { ok: false, code: result.error.code };
  const saved = await store.consents.save({ ...result.consent, id: consentId }, owner);
  await recordAudit(store.audit, {
    category: 'consent', outcome: 'success', subtype: event === 'revoke' ? 'consent-revoke' : 'consent-entered-in-error', actor: { fhirUser: by.fhirUser, clientId: 'housecall', issuerId: by.issuerId },
    patientId: by.patientId, launchId: by.launchId, entity: { reference: `Consent/${consentId}` },
  });
  const endedLinks = await store.shareLinks.endForConsent(consentId, REASON[event]);
  await auditLinksEnded(store, by, endedLinks, REASON[event]);
  return { ok: true, consent: saved, endedLinks };
}

/**
 * Whether a live link's consent still stands. A consent can stop counting without anyone acting
 * on it (its period ran out) or by a path other than endConsent; the link ends then, on the
 * first view that notices, with the reason recorded. The consent is looked up under the link's
 * own issuer and patient: one that is not theirs counts as withdrawn. Returns the ending, or null
 * when it stands.
 */
export async function checkLinkConsent(store: Store, link: ShareLink, now: Date = new Date()): Promise<Exclude<ShareLinkEndReason, 'link-revoked'> | null> {
  if (link.consentId === null) return null;
  const consent = link.issuerId === null ? undefined : await store.consents.get({ issuerId: link.issuerId, patientId: link.patientId }, link.consentId);
  const status = consent ? effectiveStatus(consent, now) : 'entered-in-error';
  const reason = status === 'active' || status === 'scheduled' ? null : status === 'expired' ? 'consent-expired' : status === 'entered-in-error' ? 'consent-entered-in-error' : 'consent-revoked';
  if (reason === null) return null;
  const ended = await store.shareLinks.endForConsent(link.consentId, reason);
  await auditLinksEnded(store, { launchId: link.launchId, patientId: link.patientId, fhirUser: null, issuerId: link.issuerId ?? 'unknown' }, ended, reason);
  return reason;
}

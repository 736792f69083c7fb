import 'server-only';
import { createHash } from 'node:crypto';
import type { ConsentStore, LaunchRecord } from '../store';
import { consentDirective, type ConsentDirectiveBody } from './directive';
import { loadConsentContext, type IssuerConsentOptions } from './load-context';

/** A launch's consent directive with its version: a hash of what it says, so it changes exactly when the client must act. */
export interface ConsentDirective extends ConsentDirectiveBody {
  version: string;
}

/**
 * The directive for a launch's actor and purpose, from the patient's consents as they are now
 * (revocations, expiry and break-glass included). A launch without a patient has nothing to
 * purge. The version hashes the directive itself rather than the consents, so adding a consent
 * that changes nothing for this launch does not make its client redo anything.
 */
export async function launchConsentDirective(launch: LaunchRecord, store: ConsentStore, resourceTypes: readonly string[], now: Date = new Date(), issuer: IssuerConsentOptions = {}): Promise<ConsentDirective> {
  const ctx = await loadConsentContext(launch, store, now, issuer);
  const body: ConsentDirectiveBody = ctx ? consentDirective(ctx, resourceTypes) : { deniedTypes: [], perResourceTypes: [], redactLabels: [], writeDenied: { create: [], update: [] }, wipe: false };
  const version = createHash('sha256').update(JSON.stringify(body)).digest('base64url').slice(0, 22);
  return { version, ...body };
}

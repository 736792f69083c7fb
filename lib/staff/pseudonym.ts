import 'server-only';
import { createHash, createHmac } from 'node:crypto';
import { serverEnv } from '../env';

/**
 * Pseudonymous references for support: HMAC-SHA256 of (kind, issuer, id) under the deployment's
 * key, so staff can say "the same user" or "the same patient" across launches without seeing
 * who. `u-…` names a user (the launch's fhirUser), `p-…` a patient; 96 bits, hex. The same id
 * at two issuers gets two references (ids mean something only at their EHR). Without the key
 * no one can compute or reverse one; the real id is shown only to roles allowed to reveal it,
 * and each reveal is audited (lib/staff/actions.ts).
 */
export type PseudonymKind = 'user' | 'patient';
const PREFIX: Record<PseudonymKind, string> = { user: 'u', patient: 'p' };
export const PSEUDONYM_PATTERN = /^[up]-[0-9a-f]{24}$/;

/** The deployment key: HOUSECALL_PSEUDONYM_KEY (required in production), else a fixed development key. */
export function pseudonymKey(): Buffer {
  const configured = serverEnv().HOUSECALL_PSEUDONYM_KEY;
  if (configured) return Buffer.from(configured, 'base64');
  // Development and the sandbox only: serverEnv() refuses production without a key.
  return createHash('sha256').update('housecall development pseudonym key (sandbox only)').digest();
}

export function pseudonym(kind: PseudonymKind, issuerId: string, id: string, key: Buffer = pseudonymKey()): string {
  const mac = createHmac('sha256', key).update(JSON.stringify([kind, issuerId, id])).digest('hex');
  return `${PREFIX[kind]}-${mac.slice(0, 24)}`;
}

export function pseudonymKindOf(ref: string): PseudonymKind | undefined {
  if (!PSEUDONYM_PATTERN.test(ref)) return undefined;
  return ref.startsWith('u-') ? 'user' : 'patient';
}

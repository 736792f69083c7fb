import { MESSAGE_ATTACHMENT_MAX_BYTES } from './compose/attachments';
import type { ParsedFhirRequest } from './parse-request';

/** Every write but a message: the proxy's general cap. */
export const DEFAULT_BODY_CAP = 1024 * 1024;

/**
 * The body cap for a write: 1 MB, except a message (Communication create or update), which may
 * carry its attachments inline as base64 (4/3 of their 5 MB) plus room for the text. The cap is
 * only what may be read; the attachments are judged on their own afterwards (message-checks.ts),
 * so a body under this cap can still be refused as attachment-too-large.
 */
export function messageBodyCap(req: Pick<ParsedFhirRequest, 'interaction' | 'resourceType'>): number {
  const message = req.resourceType === 'Communication' && (req.interaction === 'create' || req.interaction === 'update');
  return message ? Math.ceil((MESSAGE_ATTACHMENT_MAX_BYTES * 4) / 3) + 256 * 1024 : DEFAULT_BODY_CAP;
}

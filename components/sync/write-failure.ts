import { OFFLINE_ERRORS, OfflineStoreError } from '@/lib/offline/errors';

/**
 * What to tell a person whose change could not be kept on this device (storage full after
 * eviction, storage lost and not reopened, a wiped store). The store's own words say why
 * (lib/offline errors.ts); the rest says the one thing they need: this change was not saved,
 * and what they typed is still on screen.
 */
export function writeFailure(error: unknown): string {
  const why = error instanceof OfflineStoreError ? OFFLINE_ERRORS[error.code].text : 'Housecall could not keep this change on this device.';
  return `${why} This change was not saved; what you entered is still here, so you can try again or copy it.`;
}

/**
 * Errors of the encrypted local store. Each has a stable code; what a person is told follows
 * from the code in one table (STYLE rule 7), so the sync indicator and the pages never invent
 * their own wording.
 */
export const OFFLINE_ERRORS = {
  'quota-exceeded': { retryable: false, text: 'This device has no room left for Housecall’s offline copy. Unsent changes are kept; older cached data was cleared.' },
  timeout: { retryable: true, text: 'The browser’s storage did not answer in time.' },
  'connection-lost': { retryable: true, text: 'The browser closed Housecall’s storage and it could not be reopened.' },
  wiped: { retryable: false, text: 'Housecall’s data on this device was deleted.' },
  unavailable: { retryable: false, text: 'The browser does not let Housecall keep data on this device.' },
  // The browser emptied the store under the open page (lib/sync lost-storage.ts): its key went with it.
  'storage-lost': { retryable: false, text: 'This browser cleared Housecall’s storage on this device, so no change can be kept here until the page is loaded again.' },
} as const;

/** Stable codes of store errors. */
export type OfflineErrorCode = keyof typeof OFFLINE_ERRORS;

/** A store failure with a stable code; `retryable` follows from the code. */
export class OfflineStoreError extends Error {
  readonly code: OfflineErrorCode;

  constructor(code: OfflineErrorCode, options?: { cause?: unknown }) {
    super(`${code}: ${OFFLINE_ERRORS[code].text}`, { cause: options?.cause });
    this.name = 'OfflineStoreError';
    this.code = code;
  }

  get retryable(): boolean {
    return OFFLINE_ERRORS[this.code].retryable;
  }
}

/** The DOMException / Dexie error name of an error, or of the error it wraps. */
export function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { name?: unknown; inner?: unknown };
  const inner = e.inner as { name?: unknown } | undefined;
  if (typeof inner?.name === 'string' && inner.name !== 'Error') return inner.name;
  return typeof e.name === 'string' ? e.name : undefined;
}

/** Storage is full. Browsers name it QuotaExceededError; Dexie keeps the name. */
export function isQuotaError(error: unknown): boolean {
  return errorName(error) === 'QuotaExceededError' || (error as { name?: unknown } | null)?.name === 'QuotaExceededError';
}

/**
 * WebKit's words when its IndexedDB server process went away (the tab was backgrounded, the
 * device slept): "Connection to Indexed Database server lost. Refresh the page to try again", or
 * "An internal error was encountered in the Indexed Database server". WebKit names these
 * UnknownError, which on its own can also mean a corrupt or unopenable database, so only these
 * messages count as a lost connection.
 */
const WEBKIT_LOST = /Connection to Indexed Database server lost|error was encountered in the Indexed Database server/i;

function messagesOf(error: unknown): string[] {
  if (typeof error !== 'object' || error === null) return [];
  const e = error as { message?: unknown; inner?: { message?: unknown } };
  return [e.message, e.inner?.message].filter((m): m is string => typeof m === 'string');
}

/**
 * The connection went away under us: Dexie's DatabaseClosedError, the InvalidStateError that
 * WebKit throws when it closes IndexedDB behind a backgrounded tab, or WebKit's UnknownError
 * saying its IndexedDB server connection was lost.
 */
export function isConnectionLost(error: unknown): boolean {
  const names = [errorName(error), (error as { name?: unknown } | null)?.name];
  if (names.some((n) => n === 'DatabaseClosedError' || n === 'InvalidStateError')) return true;
  return names.includes('UnknownError') && messagesOf(error).some((m) => WEBKIT_LOST.test(m));
}

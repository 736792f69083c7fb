/**
 * How the record store survives a hostile browser: operations that never settle (a blocked
 * upgrade, a suspended tab) time out; a connection closed under us (WebKit does this to
 * backgrounded tabs) is reopened and the operation retried once; a full disk evicts disposable
 * data by class priority and retries once. Every path ends in a value or a typed error.
 */
import { OfflineStoreError, isConnectionLost } from './errors';
import { rowSize, type StoredRow } from './backend';
import { EVICTION_ORDER, isDisposable, isExpired, type RetentionPolicy } from './retention';

/** Rejects with `timeout` if `work` has not settled within `ms`. */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OfflineStoreError('timeout')), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs `op` under a timeout; if the connection was lost, reopens and runs it once more. A second
 * loss becomes `connection-lost`.
 */
export async function withReopen<T>(op: () => Promise<T>, reopen: () => Promise<void>, timeoutMs: number): Promise<T> {
  try {
    return await withTimeout(op(), timeoutMs);
  } catch (error) {
    if (!isConnectionLost(error)) throw error;
    try {
      await withTimeout(reopen(), timeoutMs);
      return await withTimeout(op(), timeoutMs);
    } catch (again) {
      if (again instanceof OfflineStoreError) throw again;
      throw new OfflineStoreError('connection-lost', { cause: again });
    }
  }
}

/**
 * Which rows to delete to free `needBytes`: expired disposable rows first, then whole classes in
 * EVICTION_ORDER (clinical before reference), oldest first within a class. Drafts and
 * operational rows are never chosen. Returns the keys and the bytes they free; if every
 * disposable row is not enough, returns them all and the caller's retry will tell.
 */
export function planEviction(
  rows: readonly Pick<StoredRow, 'key' | 'cls' | 'storedAt' | 'iv' | 'data' | 'type' | 'version'>[],
  needBytes: number,
  now: number,
  policy: RetentionPolicy,
): { keys: string[]; bytes: number } {
  const chosen = new Set<string>();
  let freed = 0;
  const take = (row: (typeof rows)[number]): void => {
    if (chosen.has(row.key)) return;
    chosen.add(row.key);
    freed += rowSize(row as StoredRow);
  };
  for (const row of rows) if (isDisposable(row.cls) && isExpired(row.cls, row.storedAt, now, policy)) take(row);
  for (const cls of EVICTION_ORDER) {
    const inClass = rows.filter((r) => r.cls === cls).sort((a, b) => a.storedAt - b.storedAt);
    for (const row of inClass) {
      if (freed >= needBytes) break;
      take(row);
    }
  }
  return { keys: [...chosen], bytes: freed };
}

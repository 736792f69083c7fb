/**
 * Test doubles for the storage ports: a backend that fails on cue, the way browsers do (a
 * closed connection, a full disk, an operation that never answers). Used by lib/offline and
 * lib/sync tests only.
 */
import type { RowBackend, RowChange } from './backend';

type Op = 'get' | 'list' | 'commit';

/** Failures to inject. */
export interface FaultPlan {
  /** Errors to throw on the next calls of an operation, in order (one per call). */
  throwNext?: Partial<Record<Op, unknown[]>>;
  /** Operations that never settle. */
  hang?: Op[];
}

/** Wraps a backend so it fails per plan; counts calls and reopens. */
export function faultyBackend(inner: RowBackend, plan: FaultPlan): RowBackend & { calls: Record<Op | 'reopen', number> } {
  const calls = { get: 0, list: 0, commit: 0, reopen: 0 };
  const gate = async (op: Op): Promise<void> => {
    calls[op] += 1;
    if (plan.hang?.includes(op)) await new Promise(() => {});
    const next = plan.throwNext?.[op]?.shift();
    if (next !== undefined) throw next;
  };
  return {
    get persistent() {
      return inner.persistent;
    },
    calls,
    async get(key) {
      await gate('get');
      return inner.get(key);
    },
    async list(filter) {
      await gate('list');
      return inner.list(filter);
    },
    async commit(change: RowChange) {
      await gate('commit');
      return inner.commit(change);
    },
    clear: () => inner.clear(),
    async reopen() {
      calls.reopen += 1;
      await inner.reopen();
    },
    close: () => inner.close(),
    destroy: () => inner.destroy(),
  };
}

/** A DOMException with the given name, as IndexedDB raises them. */
export function domError(name: 'QuotaExceededError' | 'InvalidStateError' | 'AbortError'): DOMException {
  return new DOMException(`simulated ${name}`, name);
}

/**
 * Unsent work that outlives a lapsed launch (issue 5: the end of a launch deletes the device's
 * copy; a person's unsent changes are never deleted without asking).
 *
 * Model: when the server says a launch is withdrawn, the round erases the partition (key, then
 * databases, in every tab). Before it does, the unsent outbox entries are handed to the server
 * (`give`), which keeps them sealed for the same user and patient at the same EHR, and only when
 * the launch lapsed (the EHR refused a refresh, access expired) within the hour; support's wipe
 * or the person's own sign-out is refused (`hold-refused`) and the entries are discarded with
 * the rest, as before. The next launch of that person and patient takes them back (`take`),
 * re-admits them to its outbox in their order, and releases them at the server (`release`): at
 * once when its store is durable, or, memory-only (inside an EHR frame), only once they have left
 * the outbox, so a frame closed before sending loses nothing. They are then sent like any queued
 * change, judged by the consents and scopes in force then.
 * The device never holds them without a key it can be made to delete.
 */
import type { Resource } from '@medplum/fhirtypes';
// Runs in the browser too: zod/mini, set up for the page's CSP (lib/browser-zod.ts).
import { z } from '@/lib/browser-zod';
import { byAge, type OutboxEntry } from './outbox';
import type { CacheChange } from './sync-store';

/** The most entries one hand-over carries, and the largest body the server accepts. */
export const HELD_LIMITS = { entries: 200, bytes: 2_000_000 } as const;

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
const text = (min: number, max: number) => z.string().check(z.minLength(min), z.maxLength(max));
const count = () => z.int().check(z.minimum(0));
const resource = z.looseObject({ resourceType: z.string().check(z.regex(RESOURCE_TYPE)) });
const error = z.object({ code: text(0, 100), status: z.optional(z.int()) });

/** An outbox entry as it travels to the server and back (outbox.ts OutboxEntry). */
export const heldEntrySchema = z.looseObject({
  id: text(1, 100),
  mutation: z.optional(text(0, 100)),
  op: z.enum(['create', 'update', 'delete']),
  resourceType: z.string().check(z.regex(RESOURCE_TYPE)),
  resourceId: text(1, 100),
  localId: z.optional(text(0, 100)),
  baseVersion: z.optional(text(0, 100)),
  baseCopy: z.optional(resource),
  payload: z.nullable(resource),
  idempotencyKey: text(1, 200),
  attempts: count(),
  nextAttemptAt: z.number(),
  lastError: z.optional(error),
  state: z.enum(['pending', 'in-flight', 'failed', 'needs-review']),
  dependsOn: z.optional(z.array(text(0, 100)).check(z.maxLength(HELD_LIMITS.entries))),
  seq: z.optional(count()),
  createdAt: z.number(),
});

/** The hand-over's body. */
export const heldHandoverSchema = z.strictObject({ entries: z.array(heldEntrySchema).check(z.minLength(1), z.maxLength(HELD_LIMITS.entries)) });

/** What the server answers when asked for held changes. */
export const heldListSchema = z.object({ entries: z.array(heldEntrySchema).check(z.maxLength(HELD_LIMITS.entries * 5)) });

/** How a hand-over ended: kept at the server, refused by policy (discard), or not answered. */
export type GiveResult = 'kept' | 'refused' | 'failed';

/** The server side of held changes, as the sync round sees it (STYLE rule 10). */
export interface HeldChanges {
  /** Hands unsent entries over before the partition is erased. */
  give(entries: readonly OutboxEntry[]): Promise<GiveResult>;
  /** This person's held entries, oldest first; undefined when the server could not be asked. */
  take(): Promise<OutboxEntry[] | undefined>;
  /** Tells the server the entries are in this device's outbox again; false if it did not answer. */
  release(ids: readonly string[]): Promise<boolean>;
}

/**
 * The entries to add to `outbox` from `held`, and the local copies that show them. Pure. An
 * entry already in the outbox (same id) is left alone; one that was in flight when it was handed
 * over is pending again (its create is conditional and its update carries If-Match, so a change
 * that did reach the EHR is neither duplicated nor applied twice); every one is due now.
 */
export function readmitHeld(outbox: readonly OutboxEntry[], held: readonly OutboxEntry[], now: number): { entries: OutboxEntry[]; cache: CacheChange } {
  const present = new Set(outbox.map((e) => e.id));
  // Sequence numbers belong to the partition that stamped them: the entries come back in their
  // own order and this outbox stamps them afresh, after everything it already holds (sync-store.ts).
  const entries = [...held]
    .sort(byAge)
    .filter((e) => !present.has(e.id))
    .map(({ seq: _seq, ...e }): OutboxEntry => ({ ...e, state: e.state === 'in-flight' ? 'pending' : e.state, nextAttemptAt: Math.min(e.nextAttemptAt, now) }));
  const latest = new Map<string, Resource>();
  for (const e of entries) if (e.payload) latest.set(`${e.resourceType}/${e.resourceId}`, e.payload);
  return { entries, cache: { putLocal: [...latest.values()] } };
}

type Fetcher = (url: string, init: { method: string; headers: Record<string, string>; body?: string; credentials: 'same-origin' }) => Promise<{ status: number; json(): Promise<unknown> }>;

/** The HeldChanges port over `fetch` to `app/api/l/{launchId}/sync/held`. */
export function createHeldChanges(fetcher: Fetcher, url: string): HeldChanges {
  const headers = { accept: 'application/json', 'content-type': 'application/json' };
  return {
    async give(entries) {
      const unsent = entries.filter((e) => e.state !== 'synced');
      if (unsent.length === 0) return 'kept';
      try {
        const response = await fetcher(url, { method: 'POST', headers, body: JSON.stringify({ entries: unsent }), credentials: 'same-origin' });
        if (response.status === 200) return 'kept';
        return response.status === 403 ? 'refused' : 'failed';
      } catch {
        return 'failed';
      }
    },
    async take() {
      try {
        const response = await fetcher(url, { method: 'GET', headers, credentials: 'same-origin' });
        if (response.status !== 200) return undefined;
        const parsed = heldListSchema.safeParse(await response.json().catch(() => null));
        return parsed.success ? (parsed.data.entries as OutboxEntry[]) : undefined;
      } catch {
        return undefined;
      }
    },
    async release(ids) {
      if (ids.length === 0) return true;
      try {
        const response = await fetcher(url, { method: 'DELETE', headers, body: JSON.stringify({ ids }), credentials: 'same-origin' });
        return response.status === 200;
      } catch {
        return false;
      }
    },
  };
}

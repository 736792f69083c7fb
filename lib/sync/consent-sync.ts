/**
 * Revocation reaching the client (DESIGN §1 Consent). Once per sync round, before anything is
 * uploaded, the client asks the server what the patient's consents now deny this launch (the
 * directive: a version, types, labels, writes; app/api/l/{launchId}/sync/consent). When the
 * 1. holds every pending outbox entry the directive does not permit (`hold` → needs-review),
 *    so it is not sent; the proxy would refuse it anyway (`consent-denied`), but a held entry
 *    waits for the person instead of failing. This runs every round.
 *
 * When the version differs from the last one acted on, it also:
 *
 * 2. purges cached server copies of what is no longer covered from the encrypted store
 *    (lib/offline purgeRecords), drafts and the outbox excepted;
 * 3. records the version, last, so a round interrupted half-way does it again.
 *
 * The client never sees the consents themselves, only what they mean for this launch.
 *
 * Wipe (issue 5): when the directive says `wipe` (the actor may see nothing of the patient any
 * more) or the server answers 401 `launch-withdrawn` (the launch was ended by the EHR, a refused
 * refresh or support, not by the person's sign-out), the round does none of the above and
 * crypto-shreds the whole partition instead (`wipePartition`), in every tab.
 */
// Runs in the browser: zod/mini set up for the page's CSP (lib/browser-zod.ts), and the consent
// module's own file rather than its barrel (its server-side schemas use the full zod).
import { z } from '@/lib/browser-zod';
import { mustRedact } from '@/lib/consent/decide';
import { purgeRecords, type PurgeLabel, type RecordStore } from '@/lib/offline';
import { transition, type OutboxEntry } from './outbox';
import { outcomeCodeOf } from './upload';
import type { SyncStore } from './sync-store';
import type { HeldChanges } from './held-changes';

const label = z.object({ system: z.optional(z.string()), code: z.optional(z.string()) });

/** The server's consent directive for this launch. */
export const consentDirectiveSchema = z.object({
  version: z.string().check(z.minLength(1), z.maxLength(100)),
  deniedTypes: z.array(z.string()),
  perResourceTypes: z.array(z.string()),
  redactLabels: z.array(label),
  writeDenied: z.object({ create: z.array(z.string()), update: z.array(z.string()) }),
  /** Erase everything of this patient on the device (see the module comment); absent from older servers. */
  wipe: z.optional(z.boolean()),
});
export type ConsentDirective = z.infer<typeof consentDirectiveSchema>;

/** What asking for the directive gave: the directive, or why there is none this round. */
export type ConsentFetch = ConsentDirective | 'offline' | 'stopped' | 'withdrawn' | 'unavailable';

/** Why a partition was wiped: the patient's consents, or the launch ended for the person. */
export type WipeReason = 'consent' | 'launch-withdrawn';

/** What a wipe did: why, how many unsent changes (pending, failed or under review) went with it, and how many the server keeps for the person's next launch. */
export interface WipeReport {
  reason: WipeReason;
  discarded: number;
  kept: number;
}

/** What acting on a directive did (counts only). */
export interface ConsentReport {
  /** The version differed from the last one acted on. */
  changed: boolean;
  /** The directive's version (a hash of what it says). */
  version: string;
  held: number;
  purged: number;
}

/**
 * Whether the views on screen must ask the EHR again after a round: the round erased the device,
 * or purged copies a view may be showing, or the patient's choices now in force are not the ones
 * the views' answers were judged under. `judgedUnder` is that version: the one the page named
 * when it was served, then each round's. Unknown, any version new to the device counts. So a
 * device's first round does not make every view ask for what the page just brought, while a
 * change between the page and that round still does.
 */
export function screenMustAskAgain(report: ConsentReport | undefined, wiped: boolean, judgedUnder: string | undefined): boolean {
  if (wiped) return true;
  if (!report) return false;
  if (report.purged > 0) return true;
  return judgedUnder === undefined ? report.changed : report.version !== judgedUnder;
}

/** Record type and id of the last directive version acted on, in the partition. */
export const CONSENT_VERSION_REF = { type: 'housecall:consent', id: 'directive' } as const;

/** Whether data carrying `labels` is withheld under the directive (same label reading as the proxy). */
export function withheldByLabels(directive: ConsentDirective, labels: readonly PurgeLabel[]): boolean {
  if (directive.redactLabels.length === 0 || labels.length === 0) return false;
  const securityLabels = directive.redactLabels.map((l) => ({ ...(l.system ? { system: l.system } : {}), ...(l.code ? { code: l.code } : {}) }));
  return mustRedact({ decision: 'permit', reasons: ['consent-permit'], consentIds: [], obligations: [{ type: 'redact', securityLabels }] }, labels.map((l) => ({ ...(l.system ? { system: l.system } : {}), ...(l.code ? { code: l.code } : {}) })));
}

/** Whether the directive still permits sending this entry. Pure. */
export function permitsEntry(directive: ConsentDirective, entry: OutboxEntry): boolean {
  const denied = entry.op === 'create' ? directive.writeDenied.create : directive.writeDenied.update;
  if (denied.includes(entry.resourceType)) return false;
  const labels = (entry.payload?.meta?.security ?? []) as PurgeLabel[];
  return !withheldByLabels(directive, labels);
}

/** The pending entries the directive no longer permits, moved to needs-review. Pure. */
export function planConsentHolds(outbox: readonly OutboxEntry[], directive: ConsentDirective, now: number): OutboxEntry[] {
  return outbox
    .filter((e) => e.state === 'pending' && !permitsEntry(directive, e))
    .map((e) => transition(e, { type: 'hold', conflict: { theirs: e.baseCopy ?? null, fields: [], detectedAt: now } }));
}

/** Acts on a directive once per version (see the module comment). */
export async function applyConsentDirective(deps: { store: SyncStore; records: RecordStore; now: () => number }, directive: ConsentDirective): Promise<ConsentReport> {
  // Every round, not only on a new version: a change queued (or put back by "keep mine") since
  // the last one is judged by the choices in force now.
  const held = await deps.store.updateOutbox((outbox) => {
    const entries = planConsentHolds(outbox, directive, deps.now());
    return { entries, result: entries.length };
  });
  const last = await deps.records.get<{ version: string }>(CONSENT_VERSION_REF.type, CONSENT_VERSION_REF.id);
  if (last?.value.version === directive.version) return { changed: false, version: directive.version, held, purged: 0 };
  const purged = await purgeRecords(deps.records, {
    resourceTypes: [...directive.deniedTypes, ...directive.perResourceTypes],
    ...(directive.redactLabels.length > 0 ? { labelled: (labels: readonly PurgeLabel[]) => withheldByLabels(directive, labels) } : {}),
  });
  await deps.records.write({ put: [{ cls: 'operational', ...CONSENT_VERSION_REF, value: { version: directive.version } }] });
  return { changed: true, version: directive.version, held, purged };
}

/**
 * Crypto-shreds the partition (key, then database, in every tab: lib/offline wipe) after counting
 * the unsent changes it holds.
 *
 * When the launch was withdrawn and the round can reach the server's held changes
 * (held-changes.ts), the unsent entries are handed over first: the server keeps them for the same
 * user and patient if the launch lapsed (refresh refused, access expired), and the next launch
 * sends them. Otherwise (support ended the launch, the patient's choices now refuse this actor,
 * or the hand-over got no answer) they go with everything else, and the person is told how many
 * changes were discarded and why: kept on the device they would keep there the PHI the wipe
 * exists to remove, under the partition a later launch of the same user and patient reopens.
 */
export async function wipePartition(deps: { store: SyncStore; records: RecordStore; held?: HeldChanges }, reason: WipeReason): Promise<WipeReport> {
  const outbox = await deps.store.loadOutbox().catch(() => [] as OutboxEntry[]);
  const unsent = outbox.filter((e) => e.state !== 'synced');
  const kept = reason === 'launch-withdrawn' && deps.held && unsent.length > 0 && (await deps.held.give(unsent)) === 'kept' ? unsent.length : 0;
  await deps.records.wipe();
  return { reason, discarded: unsent.length - kept, kept };
}

/**
 * Asks the server for the directive through `fetcher` (window.fetch in the browser). A 401 is
 * the launch ending (`withdrawn` when its OperationOutcome says `launch-withdrawn`: erase); no
 * answer is offline; anything unreadable leaves this round without one.
 */
export async function fetchConsentDirective(fetcher: (url: string) => Promise<{ status: number; json(): Promise<unknown> }>, url: string): Promise<ConsentFetch> {
  let response: { status: number; json(): Promise<unknown> };
  try {
    response = await fetcher(url);
  } catch {
    return 'offline';
  }
  if (response.status === 401) return outcomeCodeOf(await response.json().catch(() => null)) === 'launch-withdrawn' ? 'withdrawn' : 'stopped';
  if (response.status !== 200) return 'unavailable';
  const parsed = consentDirectiveSchema.safeParse(await response.json().catch(() => null));
  return parsed.success ? parsed.data : 'unavailable';
}

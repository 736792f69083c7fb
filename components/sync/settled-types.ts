import type { OutboxEntry } from '@/lib/sync';

/** Resource types whose changes left the outbox between two reads of it (synced, or settled by a review). Pure. */
export function settledTypes(before: readonly OutboxEntry[], after: readonly OutboxEntry[]): string[] {
  const open = new Set(after.filter((e) => e.state !== 'synced').map((e) => e.id));
  return [...new Set(before.filter((e) => e.state !== 'synced' && !open.has(e.id)).map((e) => e.resourceType))];
}

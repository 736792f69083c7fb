/**
 * Messages with the care team, composed from FHIR R4 `Communication` into threads. Pure.
 *
 * Threading, in order of trust:
 * 1. `inResponseTo` (a reply) or `partOf` naming another Communication: the message joins the
 *    thread of the one it names, followed to its root (cycles and chains longer than the list are
 *    cut, never followed forever).
 * 2. A link to a message that is not in the answer (withheld by consent, deleted, on another
 *    page), or no link at all: the message joins the oldest thread with the same topic, else it
 *    starts its own. EHRs differ: some thread only by topic, some only by reference.
 * Read state is `received`: a message to the reader that was sent and has no `received` is
 * unread. Messages `entered-in-error` are left out; `preparation` (not sent yet) too.
 */
import type { Attachment, Communication, Reference } from '@medplum/fhirtypes';
import { referenceName } from './people';

/** One message as a person reads it. */
export interface MessageView {
  id: string;
  /** When it was sent (or, without `sent`, last updated), ISO. */
  sentAt: string | undefined;
  from: string;
  fromReference: string | undefined;
  to: string[];
  text: string;
  attachments: { title: string; contentType: string; size?: number; data?: string }[];
  /** Sent by the reader. */
  mine: boolean;
  /** To the reader, and not yet marked received. */
  unread: boolean;
  /** The resource itself, for marking it read (its version goes as If-Match). */
  resource: Communication;
}

/** A conversation: its first message's topic, who takes part, its messages oldest first. */
export interface ThreadView {
  /** The id of the thread's first message: replies are `inResponseTo` it. */
  id: string;
  topic: string;
  participants: string[];
  messages: MessageView[];
  lastActivity: string | undefined;
  unread: number;
}

const HIDDEN_STATUSES = new Set(['entered-in-error', 'preparation']);

function topicOf(c: Communication): string {
  return (c.topic?.text ?? c.topic?.coding?.[0]?.display ?? c.topic?.coding?.[0]?.code ?? '').trim();
}

function topicKey(c: Communication): string {
  return topicOf(c).toLowerCase().replace(/^(re:\s*)+/, '').replace(/\s+/g, ' ');
}

/** The Communication id a reference names (`Communication/x`, an absolute URL ending so, or `#`-less). */
function communicationId(ref: Reference | undefined): string | undefined {
  const m = /(?:^|\/)Communication\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(ref?.reference ?? '');
  return m?.[1];
}

function parentOf(c: Communication): string | undefined {
  for (const r of [...(c.inResponseTo ?? []), ...(c.partOf ?? [])]) {
    const id = communicationId(r);
    if (id) return id;
  }
  return undefined;
}

function textOf(c: Communication): string {
  return (c.payload ?? []).map((p) => p.contentString?.trim()).filter((t): t is string => !!t).join('\n\n');
}

function attachmentsOf(c: Communication): MessageView['attachments'] {
  return (c.payload ?? [])
    .map((p) => p.contentAttachment)
    .filter((a): a is Attachment => !!a)
    .map((a) => ({
      title: a.title ?? (a.contentType === 'application/pdf' ? 'PDF document' : 'Photo'),
      contentType: a.contentType ?? 'application/octet-stream',
      ...(a.size !== undefined ? { size: a.size } : {}),
      ...(a.data ? { data: a.data } : {}),
    }));
}

function sameRef(a: string | undefined, b: string): boolean {
  return !!a && (a === b || a.endsWith(`/${b}`));
}

function when(c: Communication): string | undefined {
  return c.sent ?? c.meta?.lastUpdated;
}

/**
 * The reader's messages as threads, newest activity first. `me` is the reader's reference
 * (`Patient/pat-001`); `names` names references without a display.
 */
export function toThreads(communications: readonly Communication[], me: string, names?: Parameters<typeof referenceName>[1]): ThreadView[] {
  const shown = communications.filter((c): c is Communication & { id: string } => !!c.id && !HIDDEN_STATUSES.has(c.status));
  const byId = new Map(shown.map((c) => [c.id, c]));
  const rootOf = new Map<string, string>();
  const resolve = (c: Communication & { id: string }): string | undefined => {
    const seen = new Set<string>();
    let current = c;
    for (;;) {
      const known = rootOf.get(current.id);
      if (known) return known;
      seen.add(current.id);
      const parent = parentOf(current);
      const next = parent ? byId.get(parent) : undefined;
      if (!parent) return current.id;
      if (!next) return undefined; // a link to a message not here: thread by topic
      if (seen.has(next.id) || seen.size > shown.length) return current.id;
      current = next;
    }
  };
  // Oldest first, so a topic's first message roots it and references resolve in order.
  // By instant, not as text: '10:00+02:00' is before '09:30Z'. Undated ones first, in the order sent.
  const ordered = [...shown].sort((a, b) => instantMs(when(a)) - instantMs(when(b)));
  const topicRoot = new Map<string, string>();
  for (const c of ordered) {
    let root = resolve(c);
    const key = topicKey(c);
    if (root === undefined || (root === c.id && !parentOf(c) && key && topicRoot.has(key))) root = (key && topicRoot.get(key)) || c.id;
    rootOf.set(c.id, root);
    if (key && !topicRoot.has(key)) topicRoot.set(key, root);
  }
  const threads = new Map<string, Communication[]>();
  for (const c of ordered) {
    const root = rootOf.get(c.id!)!;
    threads.set(root, [...(threads.get(root) ?? []), c]);
  }
  const name = (r: Reference | undefined) => referenceName(r, names) ?? 'someone, name not available';
  return [...threads.entries()]
    .map(([id, list]): ThreadView => {
      const messages = list.map((c): MessageView => {
        const mine = sameRef(c.sender?.reference, me);
        const toMe = (c.recipient ?? []).some((r) => sameRef(r.reference, me));
        return {
          id: c.id!,
          sentAt: when(c),
          from: mine ? 'You' : name(c.sender),
          fromReference: c.sender?.reference,
          to: (c.recipient ?? []).map((r) => (sameRef(r.reference, me) ? 'You' : name(r))),
          text: textOf(c),
          attachments: attachmentsOf(c),
          mine,
          unread: !mine && toMe && c.status === 'completed' && !c.received,
          resource: c,
        };
      });
      const people = new Set<string>();
      for (const m of messages) for (const who of [m.from, ...m.to]) if (who !== 'You') people.add(who);
      const first = list[0]!;
      return {
        id,
        topic: topicOf(byId.get(id) ?? first) || 'Message',
        participants: [...people],
        messages,
        lastActivity: messages[messages.length - 1]?.sentAt,
        unread: messages.filter((m) => m.unread).length,
      };
    })
    .sort((a, b) => instantMs(b.lastActivity) - instantMs(a.lastActivity));
}

export { MESSAGES_SEARCH } from './search-paths';

/** An instant in milliseconds for ordering; an absent or unreadable one sorts as the oldest. */
function instantMs(at: string | undefined): number {
  const ms = at ? Date.parse(at) : NaN;
  return Number.isNaN(ms) ? -Infinity : ms;
}

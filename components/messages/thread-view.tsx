'use client';
import type { Consent } from '@medplum/fhirtypes';
import { AppLink } from '@/components/ui/app-link';
import { useEffect, useRef } from 'react';
import type { DecisionPolicy } from '@/lib/consent/types';
import type { PartitionOwner } from '@/lib/offline';
import { MessageItem } from './message-item';
import { useThreads } from './use-threads';
// The reply form (an editor with its pickers) is below the thread: a chunk of its own.
import { ComposeForm } from './compose-code';

/**
 * One conversation, oldest message first, and a reply box under it. Opening it marks the messages
 * sent to the patient as read (`received`, queued in the outbox on the version shown, so it also
 * works offline and is sent once).
 */
export function ThreadView({ launchId, owner, threadId, consent }: { launchId: string; owner: PartitionOwner; threadId: string; consent: { consents: Consent[]; policy: DecisionPolicy } }) {
  const { threads, entryFor, isLoading, outcome, fromCache, sync } = useThreads(launchId, owner.fhirUser);
  const thread = threads.find((t) => t.id === threadId || t.messages.some((m) => m.id === threadId));
  const marked = useRef(new Set<string>());

  useEffect(() => {
    if (!sync?.ready || !thread) return;
    const open = new Set(sync.entries.filter((e) => e.mutation === 'markMessageRead' && e.state !== 'synced').map((e) => e.resourceId));
    for (const m of thread.messages) {
      if (!m.unread || !m.resource.meta?.versionId || open.has(m.id) || marked.current.has(m.id)) continue;
      marked.current.add(m.id);
      void sync.queue('markMessageRead', m.resource, {}).catch(() => marked.current.delete(m.id));
    }
  }, [sync, thread]);

  if (!thread) {
    return (
      <p role={outcome ? 'alert' : 'status'} className="text-gray-700" data-testid="thread-missing">
        {isLoading ? 'Loading the conversation…' : outcome ? 'This conversation could not be loaded. Check your connection and try again.' : 'This conversation is not here. It may have been removed by your clinic.'}
      </p>
    );
  }
  const last = [...thread.messages].reverse();
  const answer = last.find((m) => !m.mine) ?? last[0]!;
  const to = answer.mine ? { reference: answer.resource.recipient?.[0]?.reference ?? '', name: answer.to[0] ?? 'your care team' } : { reference: answer.fromReference ?? '', name: answer.from };
  return (
    <div className="space-y-4" data-testid="thread" data-thread={thread.id}>
      <h1 className="text-xl font-semibold break-words">{thread.topic}</h1>
      <p className="text-sm text-gray-700">With {thread.participants.join(', ') || 'your care team'}</p>
      {fromCache ? <p role="status" className="text-sm text-amber-900">Offline: showing what was saved on this device.</p> : null}
      <ol className="space-y-3" aria-label="Messages">
        {thread.messages.map((m) => <MessageItem key={m.id} launchId={launchId} message={m} entry={entryFor(m.id)} />)}
      </ol>
      <section aria-labelledby="reply-title" className="rounded-xl border border-gray-300 bg-white p-3">
        <h2 id="reply-title" className="font-semibold">Reply</h2>
        {to.reference ? (
          <ComposeForm launchId={launchId} owner={owner} draftKey={`reply:${thread.id}`} reply={{ inResponseTo: answer.id, recipient: to, ...(thread.topic ? { topic: thread.topic } : {}) }} consent={consent} />
        ) : (
          <p>This conversation has no one to reply to. <AppLink className="text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/messages/new`}>Start a new message</AppLink>.</p>
        )}
      </section>
    </div>
  );
}

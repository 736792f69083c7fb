'use client';
import { AppLink } from '@/components/ui/app-link';
import { useThreads } from './use-threads';

function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** The patient's conversations, newest activity first, unread ones marked, each a 44 px link to its thread. */
export function ThreadList({ launchId, me }: { launchId: string; me: string }) {
  const { threads, entryFor, isLoading, outcome, fromCache } = useThreads(launchId, me);
  if (isLoading && threads.length === 0) return <p role="status" className="text-gray-700">Loading your messages…</p>;
  return (
    <div className="space-y-2">
      {outcome && threads.length === 0 ? <p role="alert" className="text-red-800" data-testid="messages-problem">Your messages could not be loaded. Check your connection and try again.</p> : null}
      {fromCache ? <p role="status" className="text-sm text-amber-900">Offline: showing what was saved on this device.</p> : null}
      {!outcome && threads.length === 0 ? <p className="text-gray-700" data-testid="messages-empty">No messages yet.</p> : null}
      <ul className="divide-y divide-gray-200 rounded-xl border border-gray-300 bg-white" data-testid="thread-list">
        {threads.map((t) => {
          const last = t.messages[t.messages.length - 1]!;
          const waiting = t.messages.some((m) => entryFor(m.id));
          return (
            <li key={t.id} data-testid="thread-item" data-unread={t.unread > 0 ? 'yes' : 'no'}>
              <AppLink href={`/l/${launchId}/portal/messages/${encodeURIComponent(t.id)}`} className="block min-h-11 px-3 py-2 hover:bg-gray-50 focus-visible:outline-2">
                <span className="flex flex-wrap items-baseline justify-between gap-x-2">
                  <span className={`break-words ${t.unread ? 'font-bold' : 'font-medium'}`} data-testid="thread-topic">{t.topic}</span>
                  <span className="text-sm text-gray-700">{when(t.lastActivity)}</span>
                </span>
                <span className="block text-sm text-gray-700">
                  {t.unread ? <span className="mr-1 rounded bg-red-800 px-1.5 text-xs font-semibold text-white">{t.unread} new</span> : null}
                  {waiting ? <span className="mr-1 font-medium text-amber-900">Not sent yet · </span> : null}
                  {last.from}: <span className="break-words">{last.text.slice(0, 80) || 'an attachment'}</span>
                </span>
              </AppLink>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

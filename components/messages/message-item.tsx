'use client';
import { AppLink } from '@/components/ui/app-link';
import type { MessageView } from '@/lib/fhir/compose/messages';
import type { OutboxEntry } from '@/lib/sync';
import { useOptionalSync } from '@/components/sync/sync-provider';
import { messageStage, stageWords } from './message-status';

const BUTTON = 'min-h-11 min-w-11 rounded-lg border px-4 font-medium';

function when(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function download(a: MessageView['attachments'][number]): void {
  if (!a.data) return;
  const binary = atob(a.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const url = URL.createObjectURL(new Blob([bytes], { type: a.contentType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = a.title;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One message in a thread: who, when, what, its attachments and, for mine, where it is (waiting, failed, held, sent, read). */
export function MessageItem({ launchId, message, entry }: { launchId: string; message: MessageView; entry: OutboxEntry | undefined }) {
  const sync = useOptionalSync();
  const stage = message.mine ? messageStage(entry, !!message.resource.received) : undefined;
  return (
    <li className={`rounded-xl border p-3 ${message.mine ? 'ml-6 border-blue-200 bg-blue-50' : 'mr-6 border-gray-300 bg-white'}`} data-testid="message" data-mine={message.mine ? 'yes' : 'no'} data-unread={message.unread ? 'yes' : 'no'} data-stage={stage ?? ''}>
      <p className="text-sm text-gray-700">
        <span className="font-semibold text-gray-900">{message.from}</span> · <time dateTime={message.sentAt}>{when(message.sentAt)}</time>
        {message.unread ? <span className="ml-2 rounded bg-red-800 px-1.5 text-xs font-semibold text-white">New</span> : null}
      </p>
      {message.text ? <p className="mt-1 whitespace-pre-wrap break-words" data-testid="message-text">{message.text}</p> : null}
      {message.attachments.length ? (
        <ul className="mt-2 space-y-2">
          {message.attachments.map((a, i) => (
            <li key={i} className="flex flex-wrap items-center gap-2">
              {a.data && a.contentType.startsWith('image/') ? <img src={`data:${a.contentType};base64,${a.data}`} alt={`Attached photo: ${a.title}`} className="max-h-48 max-w-full rounded border border-gray-200" /> : null}
              <button type="button" className={`${BUTTON} border-gray-300 bg-white`} onClick={() => download(a)} disabled={!a.data}>
                Save {a.contentType === 'application/pdf' ? 'PDF' : 'photo'}<span className="sr-only">: {a.title}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {stage ? (
        <div className="mt-2">
          <p role={stage === 'failed' ? 'alert' : undefined} className={`text-sm ${stage === 'failed' || stage === 'needs-review' ? 'text-red-800' : 'text-gray-700'}`} data-testid="message-stage">{stageWords(stage, entry)}</p>
          {stage === 'failed' && entry && sync ? (
            <div className="mt-1 flex flex-wrap gap-2">
              <button type="button" className={`${BUTTON} border-gray-400 bg-white`} onClick={() => void sync.retry(entry.id)} data-testid="message-retry">Try again</button>
              <button type="button" className={`${BUTTON} border-gray-400 bg-white`} onClick={() => void sync.discard(entry.id)} data-testid="message-discard">Discard</button>
            </div>
          ) : null}
          {stage === 'needs-review' ? <AppLink className={`${BUTTON} mt-1 inline-flex items-center border-amber-600`} href={`/l/${launchId}/portal/review`}>Review it</AppLink> : null}
        </div>
      ) : null}
    </li>
  );
}

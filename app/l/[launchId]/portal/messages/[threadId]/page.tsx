import { AppLink } from '@/components/ui/app-link';
import { ThreadView } from '@/components/messages/thread-view';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { loadMessagesContext } from '../messages-context';

export const dynamic = 'force-dynamic';

/** One conversation and the reply box. The thread id is a message id, never a patient's. */
export default async function ThreadPage({ params }: { params: Promise<{ launchId: string; threadId: string }> }) {
  const { launchId, threadId } = await params;
  const ctx = await loadMessagesContext(launchId);
  if (!ctx.ok) return <LaunchProblem reason={ctx.reason} />;
  return (
    <main className="mx-auto max-w-3xl space-y-3 p-3" data-testid="thread-page">
      <p><AppLink className="inline-flex min-h-11 items-center py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/messages`} data-testid="thread-back">All messages</AppLink></p>
      <ThreadView launchId={launchId} owner={ctx.owner} threadId={decodeURIComponent(threadId)} consent={ctx.consent} />
    </main>
  );
}

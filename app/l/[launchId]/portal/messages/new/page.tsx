import { AppLink } from '@/components/ui/app-link';
import { NewMessage } from '@/components/messages/new-message';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { loadMessagesContext } from '../messages-context';

export const dynamic = 'force-dynamic';

/** A new conversation: to someone who cares for the patient, chosen by name. */
export default async function NewMessagePage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const ctx = await loadMessagesContext(launchId);
  if (!ctx.ok) return <LaunchProblem reason={ctx.reason} />;
  return (
    <main className="mx-auto max-w-3xl space-y-3 p-3" data-testid="new-message-page">
      <p><AppLink className="inline-flex min-h-11 items-center py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/messages`}>All messages</AppLink></p>
      <h1 className="text-xl font-semibold">New message</h1>
      <NewMessage launchId={launchId} owner={ctx.owner} consent={ctx.consent} />
    </main>
  );
}

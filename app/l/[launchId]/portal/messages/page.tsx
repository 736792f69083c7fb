import { AppLink } from '@/components/ui/app-link';
import { ThreadList } from '@/components/messages/thread-list';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { loadMessagesContext } from './messages-context';

export const dynamic = 'force-dynamic';

const LINK = 'inline-flex min-h-11 items-center py-2 text-[var(--hc-accent)] underline';

/** "Messages": the patient's conversations with their care team, newest first. */
export default async function MessagesPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const ctx = await loadMessagesContext(launchId);
  if (!ctx.ok) return <LaunchProblem reason={ctx.reason} />;
  return (
    <main className="mx-auto max-w-3xl space-y-3 p-3" data-testid="messages-page">
      <p><AppLink className={LINK} href={`/l/${launchId}/portal`}>Back to your summary</AppLink></p>
      <h1 className="text-xl font-semibold">Messages with your care team</h1>
      <p>
        <AppLink className="inline-flex min-h-11 items-center rounded-lg bg-[var(--hc-accent,#1d4ed8)] px-4 font-medium text-white" href={`/l/${launchId}/portal/messages/new`} data-testid="messages-new">
          Write a new message
        </AppLink>
      </p>
      <ThreadList launchId={launchId} me={ctx.owner.fhirUser} />
    </main>
  );
}

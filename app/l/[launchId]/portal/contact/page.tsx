import { AppLink } from '@/components/ui/app-link';
import { ContactForm } from '@/components/sync/contact-form';
import { LaunchProblem } from '@/components/ui/launch-problem';
import { isPatientSelf } from '@/lib/smart';
import { loadLaunchForPage } from '../../launch-context';

export const dynamic = 'force-dynamic';

/** "Your contact details": the patient edits phone, email and address, online or not. */
export default async function ContactPage({ params }: { params: Promise<{ launchId: string }> }) {
  const { launchId } = await params;
  const { access } = await loadLaunchForPage(launchId);
  if (!access.ok) return <LaunchProblem reason={access.reason} />;
  if (!isPatientSelf(access.launch)) return <LaunchProblem reason="patient-only" />;
  return (
    <main className="mx-auto max-w-3xl p-3" data-testid="contact-page">
      <p><AppLink className="inline-block min-h-11 py-2 text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal`}>Back to your summary</AppLink></p>
      <h1 className="text-xl font-semibold">Your contact details</h1>
      <p className="mt-1 text-sm text-gray-700">Changes are kept on this device and sent to your clinic when you are online.</p>
      <ContactForm />
    </main>
  );
}

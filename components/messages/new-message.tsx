'use client';
import type { Consent } from '@medplum/fhirtypes';
import { useRouter } from 'next/navigation';
import type { DecisionPolicy } from '@/lib/consent/types';
import type { PartitionOwner } from '@/lib/offline';
// The editor with its pickers and attachment checks comes as a chunk of its own.
import { ComposeForm } from './compose-code';

/** The compose form for a new conversation; once queued, back to the list, where it shows as waiting or sent. */
export function NewMessage({ launchId, owner, consent }: { launchId: string; owner: PartitionOwner; consent: { consents: Consent[]; policy: DecisionPolicy } }) {
  const router = useRouter();
  return <ComposeForm launchId={launchId} owner={owner} draftKey="new" consent={consent} onSent={() => router.push(`/l/${launchId}/portal/messages?sent=1`)} />;
}

'use client';

import type { Patient } from '@medplum/fhirtypes';
import { useEffect, useState } from 'react';
import { useSync } from '@/components/sync/sync-provider';

function nameOf(p: Patient): string {
  const n = p.name?.find((x) => x.use === 'official') ?? p.name?.[0];
  return n?.text ?? [...(n?.given ?? []), n?.family].filter(Boolean).join(' ');
}

/** The patient's name from the device's encrypted copy (never from the service worker's cache). */
export function CachedPatientName() {
  const { ready, readPatient } = useSync();
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (ready) readPatient().then((shown) => setName(shown ? nameOf(shown.resource) : ''), () => setName(''));
  }, [ready, readPatient]);
  if (name === null) return null;
  return (
    <h1 className="mt-3 text-xl font-semibold" data-testid="offline-patient">
      {name || 'Your record'}
    </h1>
  );
}

'use client';

import { useEffect, useState } from 'react';
import { resultDetailCode, resultsOverviewCode, sectionDetailCode, consentNoticeCode } from '@/components/chart/chart-chunk';
import * as resultDetail from '@/components/chart/result-detail';
import * as resultsOverview from '@/components/chart/results-overview';
import * as sectionDetail from '@/components/chart/section-detail';
import { ChartSummary, clinicianLiveCode, patientLiveCode } from '@/components/chart/chart-summary';
import * as clinicianLive from '@/components/chart/clinician-summary';
import * as patientLive from '@/components/chart/summary-live';
import { FhirCacheProvider } from '@/components/fhir/fhir-cache';
import { ConflictReview } from '@/components/sync/conflict-review';
import { ContactForm } from '@/components/sync/contact-form';
import { SyncIndicator } from '@/components/sync/sync-indicator';
import { provideOfflineRuntime } from '@/components/sync/load-offline';
import * as offlineRuntime from '@/components/sync/offline-runtime';
import { SyncProvider } from '@/components/sync/sync-provider';
import { browserDirectoryStorage, createOffline, OWNER_RECORD, partitionOfLaunch, type PartitionOwner } from '@/lib/offline';
import { trendCode } from '@/components/ui/trend-chunk';
import * as trendViews from '@/components/ui/trend-views';
import * as consentNotice from '@/components/consent/consent-hidden-notice';
import { CachedPatientName } from './cached-patient-name';
import { shellSource } from './shell-source';
import { shellTarget, type ShellTarget } from './shell-target';

// The shell runs with no network: the store and sync code are among its own scripts, which the
// service worker stores with it, not a chunk loaded later (components/sync/load-offline.ts).
provideOfflineRuntime(offlineRuntime);
// The same for the views other pages load after their first screen (later-chunk.ts).
sectionDetailCode.provide(sectionDetail);
resultsOverviewCode.provide(resultsOverview);
resultDetailCode.provide(resultDetail);
consentNoticeCode.provide(consentNotice);
trendCode.provide(trendViews);
clinicianLiveCode.provide(clinicianLive);
patientLiveCode.provide(patientLive);

type Found = { kind: 'looking' } | { kind: 'nothing'; target: ShellTarget | null } | { kind: 'found'; target: ShellTarget; owner: PartitionOwner };

async function findOwner(launchId: string): Promise<PartitionOwner | undefined> {
  const partition = partitionOfLaunch(browserDirectoryStorage(), launchId);
  if (!partition || typeof indexedDB === 'undefined') return undefined;
  const offline = createOffline({ indexedDB: { indexedDB, IDBKeyRange } });
  try {
    const store = await offline.openExisting(partition);
    return (await store?.get<PartitionOwner>(OWNER_RECORD.type, OWNER_RECORD.id))?.value;
  } finally {
    offline.dispose();
  }
}

/**
 * What the service worker shows when a page cannot be fetched: nothing from the server, only
 * what this device kept for the launch in the address bar, read from the encrypted store.
 */
export function OfflineShell() {
  const [found, setFound] = useState<Found>({ kind: 'looking' });
  useEffect(() => {
    const target = shellTarget(window.location.pathname);
    if (!target) return setFound({ kind: 'nothing', target });
    findOwner(target.launchId).then(
      (owner) => setFound(owner ? { kind: 'found', target, owner } : { kind: 'nothing', target }),
      () => setFound({ kind: 'nothing', target }),
    );
  }, []);

  return (
    <div data-testid="offline-shell" data-state={found.kind} className="min-h-screen">
      {found.kind === 'found' ? (
        // The same providers as the launch layouts (app/l/[launchId]/{chart,portal}/layout.tsx),
        // keyed by the owner kept in the partition: the views read through the device cache.
        <FhirCacheProvider owner={found.owner}>
          <SyncProvider launchId={found.target.launchId} owner={found.owner} downloads={found.target.area === 'chart' ? 'none' : 'patient'}>
            <SyncIndicator launchId={found.target.launchId} reviewHref={`/l/${found.target.launchId}/${found.target.area}/review`} />
            <main className="mx-auto max-w-5xl p-3">
              <OfflineNotice title="p" />
              <ShellPage target={found.target} owner={found.owner} />
            </main>
          </SyncProvider>
        </FhirCacheProvider>
      ) : (
        <main className="mx-auto max-w-xl p-6">
          <OfflineNotice title="h1" />
          {found.kind === 'nothing' ? (
            <p className="mt-2 text-gray-700" data-testid="offline-nothing">
              {found.target ? 'This device has no saved copy of this record to show.' : 'Housecall opens from your EHR or your patient portal.'}
            </p>
          ) : null}
        </main>
      )}
    </div>
  );
}

/** The launch page in the address bar, from the device's copy: the summary, contact details, review, or a way back to the summary. */
function ShellPage({ target, owner }: { target: ShellTarget; owner: PartitionOwner }) {
  const { launchId, area, page } = target;
  const link = 'inline-flex min-h-11 items-center text-[var(--hc-accent)] underline';
  if (page === 'review') {
    return (
      <>
        <h1 className="text-xl font-semibold">Changes to review</h1>
        <ConflictReview launchId={launchId} />
      </>
    );
  }
  if (area === 'portal' && page === 'contact') {
    return (
      <>
        <h1 className="text-xl font-semibold">Your contact details</h1>
        <ContactForm />
      </>
    );
  }
  if (area === 'chart' && page === '') {
    // Whether the EHR shows its own banner is the server's to say; offline the banner is shown.
    return <ChartSummary launchId={launchId} patientId={owner.patient} source={shellSource(owner)} showBanner audience="clinician" />;
  }
  if (area === 'portal' && page === '') {
    return (
      <>
        <CachedPatientName />
        <p className="mt-2">
          <a className={link} href={`/l/${launchId}/portal/contact`} data-testid="offline-contact-link">Your contact details</a>
        </p>
        {/* The name heads the page already (above), so the summary does not repeat it in a banner. */}
        <ChartSummary launchId={launchId} patientId={owner.patient} source={shellSource(owner)} showBanner={false} audience="patient" />
      </>
    );
  }
  return (
    <>
      <CachedPatientName />
      <p className="mt-2">
        <a className={link} href={`/l/${launchId}/${area}`} data-testid="offline-summary-link">{area === 'chart' ? 'Back to the chart summary' : 'Back to your summary'}</a>
      </p>
    </>
  );
}

/** The page's own heading comes after it when there is a record to show, so the notice's title is a heading only when it stands alone. */
function OfflineNotice({ title: Title }: { title: 'h1' | 'p' }) {
  return (
    <div className="rounded-xl border border-gray-200 bg-white p-3">
      <Title className="font-semibold">You are offline</Title>
      <p className="mt-1 text-sm text-gray-700">Housecall is showing what this device kept. Pages that need the clinic open again when you are back online.</p>
      <button type="button" className="mt-2 min-h-11 rounded-lg border border-gray-400 px-4 font-medium" onClick={() => window.location.reload()} data-testid="offline-retry">
        Try again
      </button>
    </div>
  );
}

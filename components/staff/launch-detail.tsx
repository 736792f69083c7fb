import type { LaunchView } from '@/lib/staff/launch-view';
import { age, when } from './format';
import { ConfirmForm } from './confirm-form';
import { RevealId } from './reveal-id';
import { Findings } from './support-lists';

const DONE: Record<string, string> = {
  ended: 'The launch was ended and its tokens revoked. Its device erases Housecall’s copy on its next sync.',
  'already-ended': 'The launch had already ended; nothing changed.',
  'held-release': 'The held changes are kept another 7 days for this person’s next launch.',
  'held-discard': 'The held changes were discarded.',
};
const ERROR: Record<string, string> = {
  'staff-confirmation-required': 'Nothing was done: give a reason and tick the confirmation.',
  'staff-invalid-request': 'Nothing was done: the request was not valid.',
};

/** One launch for support and auditors: pseudonyms, times, token states, sync state, audit trail. */
export function LaunchDetail({ view, canAct, canReveal, done, error }: { view: LaunchView; canAct: boolean; canReveal: boolean; done?: string; error?: string }) {
  const ended = view.endedAt !== null;
  return (
    <main className="mx-auto max-w-3xl space-y-6 p-4 sm:p-6" data-testid="staff-launch" data-launch-id={view.id} data-ended={ended ? 'yes' : 'no'}>
      <h1 className="break-all text-xl font-semibold">Launch <code>{view.id}</code></h1>
      {done && DONE[done] ? <p role="status" className="rounded-lg bg-green-50 p-3 text-green-900" data-testid="staff-done">{DONE[done]}</p> : null}
      {error ? <p role="alert" className="rounded-lg bg-amber-50 p-3 text-amber-900" data-testid="staff-error">{ERROR[error] ?? 'Nothing was done.'}</p> : null}
      <section>
        <h2 className="font-semibold">Launch</h2>
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt>Issuer</dt><dd>{view.issuerId}</dd>
          <dt>Workflow</dt><dd>{view.workflow}</dd>
          <dt>User</dt><dd><code>{view.userRef ?? '—'}</code> {canReveal && view.userRef ? <RevealId launchId={view.id} which="user" /> : null}</dd>
          <dt>Patient</dt><dd><code>{view.patientRef ?? '—'}</code> {canReveal && view.patientRef ? <RevealId launchId={view.id} which="patient" /> : null}</dd>
          <dt>Started</dt><dd>{when(view.startedAt)}</dd>
          <dt>Last refresh</dt><dd>{when(view.lastRefreshAt)}</dd>
          <dt>Ended</dt><dd data-testid="staff-launch-ended">{ended ? `${when(view.endedAt)} (${view.endReason ?? 'no reason'})` : 'active'}</dd>
        </dl>
      </section>
      <section>
        <h2 className="font-semibold">Tokens</h2>
        <p className="mt-1 text-sm" data-testid="staff-token-state">
          access expires {when(view.tokens.accessExpiresAt)} · refresh token {view.tokens.refreshPresent ? 'present' : 'none'} · {view.tokens.rotations} rotations · {view.tokens.revoked ? 'revoked' : 'not revoked'}
        </p>
      </section>
      <section>
        <h2 className="font-semibold">Device sync</h2>
        {view.sync ? (
          <p className="mt-1 text-sm" data-testid="staff-sync-state">
            last round {when(view.sync.reportedAt)} · {view.sync.pending} pending · {view.sync.inFlight} sending · {view.sync.failed} failed · {view.sync.needsReview} need review · storage {view.sync.storage} · cache age {Object.entries(view.sync.cacheAgeMs).map(([k, v]) => `${k} ${age(v)}`).join(', ') || 'none'}
          </p>
        ) : <p className="mt-1 text-sm text-gray-700">The device has not reported a sync round.</p>}
        {view.sync && Object.keys(view.sync.downloadsFailing).length ? (
          <p className="mt-1 text-sm font-semibold text-amber-900" data-testid="staff-sync-downloads-failing">
            not on the device, the EHR refusing their download: {Object.entries(view.sync.downloadsFailing).map(([type, code]) => `${type} (${code})`).join(', ')}
          </p>
        ) : null}
        {view.held ? <p className="mt-1 text-sm" data-testid="staff-held">{view.held.count} held {view.held.count === 1 ? 'change' : 'changes'}{view.held.count ? ` (${view.held.resourceTypes.join(', ') || 'unknown types'}, since ${when(view.held.oldestHeldAt)})` : ''}</p> : null}
      </section>
      {canAct ? (
        <section>
          <h2 className="font-semibold">Actions</h2>
          {!ended ? <ConfirmForm action={`/staff/api/launches/${view.id}/end`} testId="staff-end" label="End this launch" confirmText="I confirm: end this launch, revoke its tokens and erase the device’s copy" danger /> : null}
          {view.held && view.held.count > 0 ? (
            <>
              <ConfirmForm action={`/staff/api/launches/${view.id}/held`} testId="staff-held-release" label="Keep for their next launch" confirmText="I confirm: keep these changes 7 more days for this person’s next launch" hidden={{ action: 'release' }} />
              <ConfirmForm action={`/staff/api/launches/${view.id}/held`} testId="staff-held-discard" label="Discard held changes" confirmText="I confirm: delete these unsent changes for good" hidden={{ action: 'discard' }} danger />
            </>
          ) : null}
        </section>
      ) : null}
      <section>
        <h2 className="font-semibold">Audit trail</h2>
        <p className="mt-1 text-sm" data-testid="staff-chain">{view.audit.chain.ok ? `Chain verified: ${view.audit.chain.count} events intact.` : `Chain broken at event ${view.audit.chain.brokenAtSeq} (${view.audit.chain.reason}).`}</p>
        <ol className="mt-2 space-y-1 text-sm" data-testid="staff-audit-trail">
          {view.audit.events.map((e) => (
            <li key={e.seq} className="rounded border border-gray-200 bg-white p-2">
              #{e.seq} {when(e.recordedAt)} · {e.category}/{e.action}{e.resourceType ? ` ${e.resourceType}` : ''} · {e.outcome}{e.outcomeCode ? ` (${e.outcomeCode})` : ''} · {e.actor}
            </li>
          ))}
        </ol>
      </section>
      <section>
        <h2 className="font-semibold">Unusual access concerning this launch</h2>
        <Findings findings={view.findings} />
      </section>
    </main>
  );
}

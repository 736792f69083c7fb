import { describeResourceTypes } from '@/lib/consent/describe';
import type { ShareLink } from '@/lib/store';
import { RevokeButton } from './revoke-button';
import { ShareLinkForm } from './share-link-form';

const ENDED: Record<string, string> = {
  'link-revoked': 'Revoked', 'consent-revoked': 'Ended: you revoked its permission', 'consent-entered-in-error': 'Ended: its permission was recorded in error', 'consent-expired': 'Expired',
};

/** The patient's partner share links: make one, see which are live, revoke any. */
export function ShareLinks({ launchId, links, now }: { launchId: string; links: ShareLink[]; now: number }) {
  const state = (l: ShareLink) => (l.revokedAt !== null ? 'revoked' : l.expiresAt <= now ? 'expired' : 'active');
  return (
    <div className="mt-6 space-y-3">
      <ShareLinkForm launchId={launchId} />
      {links.length > 0 ? (
        <ul className="divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white" aria-label="Your share links">
          {links.map((l) => (
            <li key={l.id} className="space-y-1 p-3" data-testid="share-link-item" data-status={state(l)} data-link-id={l.id} data-end-reason={l.endReason ?? undefined}>
              <div>Link to {describeResourceTypes(l.resourceTypes)}</div>
              <div className="text-sm text-gray-700">
                {state(l) === 'active' ? `Works until ${new Date(l.expiresAt).toLocaleString('en-GB', { timeZone: 'UTC' })} UTC` : ENDED[l.endReason ?? 'link-revoked'] ?? 'Revoked'}
              </div>
              {state(l) === 'active' ? <RevokeButton path={`/api/l/${launchId}/share-links/${l.id}`} label={`link to ${describeResourceTypes(l.resourceTypes)}`} testId="link-revoke" /> : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

import { consentSentence, type ConsentSummary } from '@/lib/consent/describe';
import { RevokeButton } from './revoke-button';

const STATUS_TEXT: Record<string, string> = {
  active: 'In force', scheduled: 'Starts later', expired: 'Expired', inactive: 'Revoked', draft: 'Not recorded yet', rejected: 'Rejected', 'entered-in-error': 'Recorded in error', proposed: 'Proposed',
};

/** One consent in the sharing centre, in plain words, with what the patient agreed to and a revoke control. */
export function ConsentItem({ launchId, summary: s, overlap, notAtClinic = false }: { launchId: string; summary: ConsentSummary; overlap: string | undefined; notAtClinic?: boolean }) {
  return (
    <li className="space-y-1 p-3" data-testid="consent-item" data-consent-id={s.id} data-status={s.status}>
      <div className="font-medium">{consentSentence(s)}</div>
      <div className="text-sm text-gray-700">For {s.purpose} · {s.until} · <strong>{STATUS_TEXT[s.status] ?? s.status}</strong></div>
      {s.preview ? (
        <details className="text-sm">
          <summary className="min-h-11 cursor-pointer py-2">What you agreed to</summary>
          <p className="whitespace-pre-line" data-testid="consent-preview">{s.preview}</p>
        </details>
      ) : null}
      {notAtClinic ? <p className="text-sm text-amber-900" data-testid="consent-not-at-clinic">Not yet recorded at your clinic. Housecall has kept your choice and applies it now; it will try again to tell your clinic.</p> : null}
      {overlap ? <p className="text-sm text-amber-900" data-testid="consent-overlap">{overlap}</p> : null}
      {s.revocable ? <RevokeButton path={`/api/l/${launchId}/consents/${encodeURIComponent(s.id)}`} label={consentSentence(s)} /> : null}
    </li>
  );
}

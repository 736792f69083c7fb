'use client';
import type { AllergyIntolerance } from '@medplum/fhirtypes';
import { AppLink } from '@/components/ui/app-link';
import { useId, useState } from 'react';
import { useOptionalSync } from '@/components/sync/sync-provider';
import { writeFailure } from '@/components/sync/write-failure';

/**
 * An allergy's comments and a way to add one. Adding queues an AllergyIntolerance update that
 * appends a `note`, sent with If-Match on the version shown; if the EHR's copy changed
 * meanwhile the comment goes to review (clinical data is never merged automatically).
 */
export function AllergyComment({ launchId, allergy, author }: { launchId: string; allergy: AllergyIntolerance; author: string }) {
  const sync = useOptionalSync();
  const id = useId();
  const [text, setText] = useState('');
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState('');
  if (!sync || !allergy.id) return null;
  const mine = sync.entries.filter((e) => e.state !== 'synced' && e.resourceType === 'AllergyIntolerance' && e.resourceId === allergy.id);
  const state = mine.some((e) => e.state === 'needs-review') ? 'needs-review' : mine.some((e) => e.state === 'failed') ? 'failed' : mine.length ? 'waiting' : 'none';

  async function add() {
    if (!sync || !allergy.id || !text.trim()) return;
    // On top of a comment still waiting to be sent, if any: it goes first, then this one.
    try {
      const base = (mine.length ? await sync.readCached<AllergyIntolerance>('AllergyIntolerance', allergy.id) : undefined) ?? allergy;
      await sync.queue('commentOnAllergy', base, { text: text.trim(), author: { reference: author } });
    } catch (error) {
      return setFailure(writeFailure(error)); // the comment stays in the box
    }
    setFailure('');
    setText('');
    setMessage('Comment saved on this device. It is sent to the EHR as soon as there is a connection.');
  }

  return (
    <details className="mt-1" data-testid="allergy-comments" data-sync={state}>
      <summary className="flex min-h-11 cursor-pointer items-center text-sm text-[var(--hc-accent,#1d4ed8)] underline">
        Comments ({allergy.note?.length ?? 0}) · Add comment
      </summary>
      {allergy.note?.length ? (
        <ul className="mt-1 space-y-1 text-sm">
          {allergy.note.map((n, i) => <li key={i} className="rounded bg-gray-50 p-2" data-testid="allergy-note">{n.text}</li>)}
        </ul>
      ) : null}
      <label htmlFor={id} className="mt-2 block text-sm font-medium">New comment</label>
      <textarea id={id} rows={2} value={text} onChange={(e) => setText(e.target.value)} className="mt-1 w-full rounded-lg border border-gray-400 p-2" data-testid="allergy-comment-text" />
      <button type="button" onClick={() => void add()} disabled={!sync.ready || !text.trim()} className="mt-1 min-h-11 rounded-lg bg-[var(--hc-accent,#1d4ed8)] px-4 font-medium text-white disabled:opacity-60" data-testid="allergy-comment-save">
        Save comment
      </button>
      <p role="status" className="mt-1 text-sm" data-testid="allergy-comment-status">
        {state === 'needs-review' ? (
          <>The allergy changed in the EHR while your comment was waiting. <AppLink className="inline-flex min-h-11 items-center underline" href={`/l/${launchId}/chart/review`} data-testid="allergy-comment-review">Review it</AppLink></>
        ) : failure || (state === 'failed' ? 'The EHR did not accept the comment. It is kept here.' : state === 'waiting' ? 'Comment saved on this device. It is sent to the EHR as soon as there is a connection.' : message)}
      </p>
    </details>
  );
}

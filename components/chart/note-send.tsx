'use client';
import type { DocumentReference } from '@medplum/fhirtypes';
import { AppLink } from '@/components/ui/app-link';
import { useEffect, useState } from 'react';
import { useSync } from '@/components/sync/sync-provider';
import { writeFailure } from '@/components/sync/write-failure';
import { noteStage, type NoteStage, type SavedNote } from './note-status';

const BUTTON = 'min-h-11 rounded-lg px-4 font-medium disabled:opacity-60';

function sentence(stage: NoteStage): string {
  switch (stage.kind) {
    case 'waiting':
      return stage.what === 'sign'
        ? 'Signed on this device. It is sent to the EHR as soon as there is a connection.'
        : 'Saved on this device. It is sent to the EHR as soon as there is a connection.';
    case 'saved':
      return 'Saved in the EHR as a preliminary note. Sign it when it is final.';
    case 'signed':
      return 'Signed: the note is final in the EHR.';
    case 'needs-review':
      return 'The note was changed in the EHR while your change was waiting. Review it before anything is sent.';
    case 'failed':
      return `The EHR did not accept the note (${stage.code}). It is kept here.`;
    case 'unknown':
      return 'Checking where the note is…';
  }
}

/**
 * A note saved from the editor: where it is (waiting on this device, saved in the EHR, signed,
 * needing review) and the way to sign it. Signing is an update to docStatus final with
 * If-Match on the version saved; if the EHR's copy changed meanwhile it goes to review, never
 * merged.
 */
export function NoteSend({ launchId, saved, author, onNew }: { launchId: string; saved: SavedNote; author: string; onNew: () => void }) {
  const sync = useSync();
  const { entries, findCreated, readCached } = sync;
  const [server, setServer] = useState<DocumentReference | undefined>();
  const [problem, setProblem] = useState('');

  useEffect(() => {
    let cancelled = false;
    void findCreated<DocumentReference>('DocumentReference', saved.createKey).then((found) => {
      if (!cancelled) setServer(found);
    });
    return () => {
      cancelled = true;
    };
  }, [entries, findCreated, saved.createKey]);

  const stage = noteStage(saved, entries, server);
  const canSign = stage.kind === 'saved' || (stage.kind === 'waiting' && stage.what === 'save');

  async function sign() {
    // On the EHR's copy once it has one (its version goes as If-Match), else on the local copy:
    // the signature is then sent right after the note, on the version the EHR gave it.
    const base = stage.kind === 'saved' ? stage.note : await readCached<DocumentReference>('DocumentReference', saved.localId);
    if (!base) return setProblem('The note is not on this device any more; it cannot be signed from here.');
    setProblem('');
    await sync.queue('signNote', base, { author: { reference: author } }).catch((error: unknown) => setProblem(writeFailure(error)));
  }

  return (
    <section aria-labelledby="note-send-title" className="mt-2 rounded-[var(--hc-radius,0.5rem)] border border-gray-300 bg-white p-3" data-testid="note-send" data-stage={stage.kind === 'waiting' ? `waiting-${stage.what}` : stage.kind}>
      <h2 id="note-send-title" className="font-semibold">Saved note</h2>
      <p role="status" className="mt-1" data-testid="note-send-status">{sentence(stage)}</p>
      <div className="mt-2 flex flex-wrap gap-2">
        {canSign ? (
          <button type="button" className={`${BUTTON} bg-[var(--hc-accent,#1d4ed8)] text-white`} onClick={() => void sign()} data-testid="note-sign">Sign note</button>
        ) : null}
        {stage.kind === 'needs-review' ? (
          <AppLink className={`${BUTTON} inline-flex items-center border border-amber-600 text-amber-950`} href={`/l/${launchId}/chart/review`} data-testid="note-review">Review the change</AppLink>
        ) : null}
        {stage.kind === 'signed' || stage.kind === 'saved' ? (
          <button type="button" className={`${BUTTON} border border-gray-300`} onClick={onNew} data-testid="note-new">Write another note</button>
        ) : null}
      </div>
      {problem ? <p role="alert" className="mt-2 text-red-800">{problem}</p> : null}
    </section>
  );
}

'use client';
import { useEffect, useId, useState } from 'react';
import { createNoteDraft, readNoteDraft, type NoteDraftContext } from '@/lib/fhir';
import { relativeAge } from '@/components/ui/freshness';
import { useNow } from '@/components/ui/use-now';
import { launchKey, persistent, readSession, removeSession, writeSession } from './session-state';

type Saved = { at: string; where: 'session' | 'memory' } | null;

function loadDraft(key: string): { text: string; updatedAt: string } | undefined {
  const raw = readSession(key);
  if (!raw) return undefined;
  try {
    return readNoteDraft(JSON.parse(raw));
  } catch {
    return undefined;
  }
}

/**
 * A progress note, drafted as a FHIR DocumentReference (docStatus preliminary) and kept in this
 * tab's session storage for this launch on every keystroke, so a reload or app switch loses
 * nothing. Where the browser refuses storage (a cross-site EHR frame with third-party storage
 * blocked) it is kept in memory and the status says that it will not survive a reload.
 * Sending it to the EHR comes with the offline sync engine.
 */
export function NoteEditor({ launchId, context }: { launchId: string; context: NoteDraftContext }) {
  const key = launchKey(launchId, 'note-draft');
  const id = useId();
  const now = useNow(15_000);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<Saved>(null);
  const [loaded, setLoaded] = useState(false);
  const [canKeep, setCanKeep] = useState(true);

  useEffect(() => {
    const draft = loadDraft(key);
    if (draft) {
      setText(draft.text);
      setSaved({ at: draft.updatedAt, where: persistent() ? 'session' : 'memory' });
    }
    setCanKeep(persistent());
    setLoaded(true);
  }, [key]);

  const change = (value: string) => {
    setText(value);
    const doc = createNoteDraft(value, context, new Date());
    setSaved({ at: doc.date!, where: writeSession(key, JSON.stringify(doc)) });
  };
  const discard = () => {
    removeSession(key);
    setText('');
    setSaved(null);
  };

  return (
    <form className="flex flex-col gap-2" data-testid="note-editor" data-loaded={loaded ? 'yes' : 'no'} onSubmit={(e) => e.preventDefault()}>
      <label htmlFor={id} className="font-semibold">Progress note</label>
      <textarea
        id={id}
        value={text}
        onChange={(e) => change(e.target.value)}
        rows={10}
        className="w-full rounded-[var(--hc-radius,0.5rem)] border border-gray-400 bg-white p-3 text-base focus-visible:outline-2 focus-visible:outline-[var(--hc-accent,#1d4ed8)]"
        aria-describedby={`${id}-status`}
        data-testid="note-text"
        disabled={!loaded}
      />
      <p id={`${id}-status`} className="text-sm text-gray-700" role="status" data-testid="note-status" data-kept={saved?.where ?? 'nothing'}>
        {saved === null
          ? canKeep
            ? 'Nothing written yet. The draft is kept on this device as you type.'
            : 'Nothing written yet. Inside your EHR this browser does not let Housecall keep a draft across a reload; it is kept while this page is open.'
          : saved.where === 'memory'
            ? `Draft kept while this page is open, ${relativeAge(saved.at, now)}. Inside your EHR this browser does not let Housecall keep it across a reload: copy your text before you reload or close. Not sent to the EHR yet.`
            : `Draft kept on this device, ${relativeAge(saved.at, now)}. Not sent to the EHR yet.`}
      </p>
      {saved !== null ? (
        <button type="button" onClick={discard} className="min-h-11 self-start rounded-lg border border-gray-300 bg-white px-4 font-medium" data-testid="note-discard">
          Discard draft
        </button>
      ) : null}
    </form>
  );
}

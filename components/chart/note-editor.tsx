'use client';
import { useEffect, useId, useRef, useState } from 'react';
import { createNoteDraft, readNoteDraft, type NoteDraftContext } from '@/lib/fhir/compose/note-draft';
import { relativeAge } from '@/components/ui/ages';
import { useNow } from '@/components/ui/use-now';
import { useOptionalSync } from '@/components/sync/sync-provider';
import { writeFailure } from '@/components/sync/write-failure';
import { NoteSend } from './note-send';
import type { SavedNote } from './note-status';
import { launchKey, persistent, readSession, removeSession, writeSession } from './session-state';
import { readSavedNote, useSavedNote } from './use-saved-note';

type Saved = { at: string; where: 'session' | 'memory' | 'server' } | null;

const draftUrl = (launchId: string) => `/api/l/${launchId}/drafts/note`;

async function loadServerDraft(launchId: string): Promise<{ text: string; updatedAt: string } | undefined> {
  try {
    const res = await fetch(draftUrl(launchId), { headers: { accept: 'application/fhir+json' } });
    return res.ok ? readNoteDraft(await res.json()) : undefined;
  } catch {
    return undefined;
  }
}

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
 * A progress note, drafted as a FHIR DocumentReference (docStatus preliminary). Every keystroke
 * is kept in this tab (session storage, or memory where an EHR frame refuses storage) and,
 * a moment later, sealed on Housecall's server for this clinician and patient, so a reload, a
 * relaunch or an app switch loses nothing even inside a frame that keeps no storage. The newer
 * of the two copies wins on load. "Save to EHR" queues it in the outbox as a preliminary
 * DocumentReference (a conditional create, so a retry never makes two), which works offline;
 * the saved note can then be signed (NoteSend).
 */
export function NoteEditor({ launchId, context }: { launchId: string; context: NoteDraftContext }) {
  const key = launchKey(launchId, 'note-draft');
  const id = useId();
  const now = useNow(15_000);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState<Saved>(null);
  const [loaded, setLoaded] = useState(false);
  const [canKeep, setCanKeep] = useState(true);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const sync = useOptionalSync();
  const { sent, remember, forget: writeAnother } = useSavedNote(launchId);
  const [sending, setSending] = useState(false);
  const [failure, setFailure] = useState('');

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      // A draft from before the last "Save to EHR" is that note, already in the outbox: its
      // deletion did not reach the server (offline, or a keystroke's upload landed after it).
      const savedAt = readSavedNote(launchId)?.savedAt ?? '';
      const current = <D extends { updatedAt: string }>(d: D | undefined) => (d && d.updatedAt > savedAt ? d : undefined);
      const rawLocal = loadDraft(key);
      const rawServer = await loadServerDraft(launchId);
      if (cancelled) return;
      const local = current(rawLocal);
      const server = current(rawServer);
      if (rawLocal && !local) removeSession(key);
      if (rawServer && !server) void fetch(draftUrl(launchId), { method: 'DELETE' }).catch(() => undefined);
      const newer = server && (!local || server.updatedAt > local.updatedAt) ? { ...server, where: 'server' as const } : local ? { ...local, where: persistent() ? ('session' as const) : ('memory' as const) } : undefined;
      if (newer) {
        setText(newer.text);
        setSaved({ at: newer.updatedAt, where: newer.where });
      }
      setCanKeep(persistent());
      setLoaded(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [key, launchId]);

  const change = (value: string) => {
    setText(value);
    const doc = createNoteDraft(value, context, new Date());
    const body = JSON.stringify(doc);
    setSaved({ at: doc.date!, where: writeSession(key, body) });
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void fetch(draftUrl(launchId), { method: 'PUT', headers: { 'content-type': 'application/fhir+json' }, body })
        .then((res) => { if (res.ok) setSaved({ at: doc.date!, where: 'server' }); })
        .catch(() => undefined);
    }, 600);
  };
  const save = async () => {
    if (!sync || !context.author || !text.trim()) return;
    setSending(true);
    setFailure('');
    try {
      const entry = await sync.queueEntry('draftNote', null, { patient: context.patientId, text, author: { reference: context.author }, title: 'Progress note' });
      remember({ localId: entry.localId ?? entry.resourceId, createKey: entry.idempotencyKey, savedAt: new Date().toISOString() } satisfies SavedNote);
      discard(); // the outbox holds the note now
    } catch (error) {
      setFailure(writeFailure(error)); // the text and its draft stay
    } finally {
      setSending(false);
    }
  };
  const discard = () => {
    clearTimeout(timer.current);
    removeSession(key);
    void fetch(draftUrl(launchId), { method: 'DELETE' }).catch(() => undefined);
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
          : saved.where === 'server'
            ? `Draft saved in Housecall, ${relativeAge(saved.at, now)}. It is still here after a reload or a relaunch. Not sent to the EHR yet.`
            : saved.where === 'memory'
            ? `Draft kept while this page is open, ${relativeAge(saved.at, now)}. Inside your EHR this browser does not let Housecall keep it across a reload: copy your text before you reload or close. Not sent to the EHR yet.`
            : `Draft kept on this device, ${relativeAge(saved.at, now)}. Not sent to the EHR yet.`}
      </p>
      <div className="flex flex-wrap gap-2">
        {sync && context.author ? (
          <button type="button" onClick={() => void save()} disabled={!loaded || !sync.ready || sending || !text.trim()} className="min-h-11 rounded-lg bg-[var(--hc-accent,#1d4ed8)] px-4 font-medium text-white disabled:opacity-60" data-testid="note-save">
            Save to EHR
          </button>
        ) : (
          <p className="text-sm text-gray-700">Your EHR did not say who you are, so Housecall cannot file this note under your name.</p>
        )}
        {saved !== null ? (
          <button type="button" onClick={discard} className="min-h-11 rounded-lg border border-gray-300 bg-white px-4 font-medium" data-testid="note-discard">
            Discard draft
          </button>
        ) : null}
      </div>
      {failure ? <p role="alert" className="text-red-800" data-testid="note-save-problem">{failure}</p> : null}
      {sync && sent && context.author ? <NoteSend launchId={launchId} saved={sent} author={context.author} onNew={writeAnother} /> : null}
    </form>
  );
}

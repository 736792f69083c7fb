'use client';
import type { Consent } from '@medplum/fhirtypes';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { DecisionPolicy } from '@/lib/consent/types';
import type { PartitionOwner } from '@/lib/offline';
import { useOptionalSync } from '@/components/sync/sync-provider';
import { writeFailure } from '@/components/sync/write-failure';
import { isStorageLost } from '@/lib/sync/sync-state';
import { AttachmentPicker } from './attachment-picker';
import { draftKeptLine, type DraftKept } from './draft-kept';
import { messageDrafts, type MessageDraft } from './message-draft';
import { RecipientChooser } from './recipient-chooser';

const FIELD = 'mt-1 block w-full rounded-lg border border-gray-400 bg-white p-3 text-base';
const EMPTY: MessageDraft = { text: '', attachments: [], updatedAt: '' };

export interface ComposeProps {
  launchId: string;
  owner: PartitionOwner;
  /** `new`, or the thread a reply belongs to: the draft's key in the encrypted store. */
  draftKey: string;
  /** A reply: to whom, in answer to which message, under which topic. */
  reply?: { inResponseTo: string; recipient: { reference: string; name: string }; topic?: string };
  /** The patient's consents and the deployment's default: people they keep out are not offered (new messages). */
  consent: { consents: Consent[]; policy: DecisionPolicy };
  onSent?: () => void;
}

/**
 * Writing a message: to someone who cares for the patient, chosen by name (a new conversation),
 * or a reply in a thread. Every change is kept as a draft in the device's encrypted store, so a
 * reload, a lost connection or a closed tab loses nothing. Send puts the message in the outbox
 * (a conditional create, so it is sent exactly once, offline or not) and clears the draft.
 */
export function ComposeForm({ launchId, owner, draftKey, reply, consent, onSent }: ComposeProps) {
  const id = useId();
  const sync = useOptionalSync();
  const { issuer, fhirUser, patient } = owner;
  const drafts = useMemo(() => messageDrafts({ issuer, fhirUser, patient }), [issuer, fhirUser, patient]);
  const [draft, setDraft] = useState<MessageDraft>(EMPTY);
  const [loaded, setLoaded] = useState(false);
  const [kept, setKept] = useState<DraftKept>('nothing');
  const [persistent, setPersistent] = useState(true);
  const [problem, setProblem] = useState('');
  const [sending, setSending] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    void drafts.load(draftKey).then(({ draft: saved, persistent: p }) => {
      if (cancelled) return;
      if (saved) {
        setDraft(saved);
        setKept(p ? 'device' : 'memory');
      }
      setPersistent(p);
      setLoaded(true);
    }).catch(() => setLoaded(true));
    return () => {
      cancelled = true;
      clearTimeout(timer.current);
    };
  }, [drafts, draftKey]);

  // The browser cleared the store under the page: a draft written now would go into a store whose
  // key is gone, so it is not written, and the line under the box says so (draft-kept.ts).
  const storageLost = sync ? isStorageLost(sync.state) : false;
  const change = (patch: Partial<MessageDraft>) => {
    const next = { ...draft, ...patch, updatedAt: new Date().toISOString() };
    setDraft(next);
    if (storageLost) return;
    setKept('saving');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void drafts.save(draftKey, next).then(() => setKept(persistent ? 'device' : 'memory')).catch(() => setProblem('This device could not keep your draft. Copy your text before you leave this page.'));
    }, 250);
  };

  const recipient = reply?.recipient ?? draft.recipient;
  const ready = loaded && !!sync?.ready && !sending;
  const empty = !draft.text.trim() && draft.attachments.length === 0;

  async function send() {
    if (!sync) return;
    if (!recipient) return setProblem('Choose who should receive your message.');
    if (empty) return setProblem('Write a message or attach a file before sending.');
    setSending(true);
    setProblem('');
    try {
      const topic = reply?.topic ?? draft.topic?.trim();
      await sync.queueEntry('sendMessage', null, {
        patient: owner.patient,
        sender: owner.fhirUser,
        recipient: { reference: recipient.reference, display: recipient.name },
        text: draft.text,
        ...(topic ? { topic } : {}),
        ...(reply ? { inResponseTo: reply.inResponseTo } : {}),
        attachments: draft.attachments,
      });
      clearTimeout(timer.current);
      await drafts.remove(draftKey).catch(() => undefined);
      setDraft(EMPTY);
      setKept('nothing');
      onSent?.();
    } catch (error) {
      setProblem(writeFailure(error)); // the draft stays
    } finally {
      setSending(false);
    }
  }

  return (
    <form className="flex flex-col gap-3" data-testid="compose" data-loaded={loaded ? 'yes' : 'no'} onSubmit={(e) => { e.preventDefault(); void send(); }}>
      {reply ? (
        <p className="text-sm text-gray-700">Reply to {reply.recipient.name}</p>
      ) : (
        <>
          <RecipientChooser launchId={launchId} patientId={owner.patient} consent={consent} value={draft.recipient?.reference ?? null} onChange={(recipient) => change({ recipient })} />
          <label htmlFor={`${id}-topic`} className="font-medium">
            Subject
            <input id={`${id}-topic`} className={`${FIELD} min-h-11`} value={draft.topic ?? ''} maxLength={120} onChange={(e) => change({ topic: e.target.value })} disabled={!loaded} data-testid="compose-topic" />
          </label>
        </>
      )}
      <label htmlFor={`${id}-text`} className="font-medium">
        Message
        <textarea id={`${id}-text`} className={FIELD} rows={5} value={draft.text} maxLength={4000} onChange={(e) => change({ text: e.target.value })} disabled={!loaded} aria-describedby={`${id}-kept`} data-testid="compose-text" />
      </label>
      <p id={`${id}-kept`} role="status" className="text-sm text-gray-700" data-testid="compose-kept" data-kept={storageLost ? 'lost' : kept}>
        {draftKeptLine(kept, persistent, storageLost)}
      </p>
      <AttachmentPicker value={draft.attachments} onChange={(attachments) => change({ attachments })} disabled={!loaded} />
      {problem ? <p role="alert" className="text-red-800" data-testid="compose-problem">{problem}</p> : null}
      <div>
        <button type="submit" className="min-h-11 rounded-lg bg-[var(--hc-accent,#1d4ed8)] px-5 font-medium text-white disabled:opacity-60" disabled={!ready} data-testid="compose-send">
          Send
        </button>
      </div>
    </form>
  );
}

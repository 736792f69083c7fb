'use client';

import { useState } from 'react';
import type { DamagedChange } from '@/lib/sync';
import { useSync } from './sync-provider';

const button = 'min-h-11 rounded-lg border px-4 font-medium';

const CHANGE_NAMES: Record<string, string> = {
  editTelecom: 'A phone or email change',
  editAddress: 'An address change',
  editPreferredLanguage: 'A preferred language change',
  draftNote: 'A new note',
  signNote: 'A note signature',
  commentOnAllergy: 'A comment on an allergy',
};

const withArticle = (noun: string) => `${/^[AEIOU]/i.test(noun) ? 'an' : 'a'} ${noun}`;

/** What a damaged entry was, as far as its clear metadata tells (never its content). */
export function damagedTitle(d: Pick<DamagedChange, 'kind' | 'mutation' | 'resourceType'>): string {
  if (d.kind === 'draft') return `Your unsent copy of ${withArticle(d.resourceType ?? 'record')}`;
  if (d.mutation && CHANGE_NAMES[d.mutation]) return CHANGE_NAMES[d.mutation]!;
  return d.resourceType ? `A change to ${withArticle(d.resourceType)}` : 'A change';
}

function Damaged({ item }: { item: DamagedChange }) {
  const { discardDamaged } = useSync();
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const headingId = `damaged-${item.key}`;
  return (
    <article className="rounded-xl border border-red-300 bg-white p-3" data-testid="damaged-change" data-kind={item.kind} data-mutation={item.mutation} aria-labelledby={headingId}>
      <h2 id={headingId} className="font-semibold">Cannot be read: {damagedTitle(item)}</h2>
      <p className="mt-1 text-sm">It was saved on this device, but this device can no longer read it (its storage was damaged or changed), so it cannot be sent. Make the change again, then discard this one.</p>
      {confirming ? (
        <div role="group" aria-label="Discard this change?" className="mt-3 rounded-lg bg-red-50 p-2">
          <p className="text-sm">Discard it? It is erased from this device.</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <button type="button" className={`${button} border-red-700 bg-red-700 text-white`} onClick={() => void discardDamaged(item.key).then(() => setError(''), () => setError('That did not work. Try again.'))} data-testid="damaged-discard-confirm">Discard</button>
            <button type="button" autoFocus className={`${button} border-gray-400`} onClick={() => setConfirming(false)}>Keep it</button>
          </div>
        </div>
      ) : (
        <div className="mt-3">
          <button type="button" className={`${button} border-gray-400`} onClick={() => setConfirming(true)} data-testid="damaged-discard">Discard</button>
        </div>
      )}
      {error ? <p role="alert" className="mt-2 text-red-800">{error}</p> : null}
    </article>
  );
}

/** Unsent work this device kept but can no longer read: what it was, and Discard (issue 12). */
export function DamagedChanges() {
  const { damaged } = useSync();
  if (damaged.length === 0) return null;
  return (
    <section className="mt-3 space-y-3" data-testid="damaged-changes" aria-label="Changes that cannot be read">
      {damaged.map((item) => <Damaged key={item.key} item={item} />)}
    </section>
  );
}

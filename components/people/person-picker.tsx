'use client';
import { useId, useState } from 'react';
import { searchCarePeople, type CarePerson } from '@/lib/fhir/compose/care-team';

export interface PersonPickerProps {
  /** The question the list answers ("Who should see your test results?"). */
  legend: string;
  people: readonly CarePerson[] | undefined;
  isLoading: boolean;
  /** Set when the list could not be read. */
  outcome?: string;
  /** The chosen person's reference, or null. */
  value: string | null;
  onChange: (person: CarePerson) => void;
}

/** A 44 px radio (its own box is the touch target the checks measure), drawn as a 22 px circle with a dot when chosen. */
const RADIO =
  'size-11 shrink-0 cursor-pointer appearance-none rounded-full bg-[radial-gradient(circle,#fff_0_9px,#4b5563_9.5px_11px,transparent_11.5px)] checked:bg-[radial-gradient(circle,var(--hc-accent)_0_5.5px,#fff_6px_9px,var(--hc-accent)_9.5px_11px,transparent_11.5px)] focus-visible:outline-2 forced-colors:appearance-auto';

/**
 * Choosing one of the people who care for the patient, by name and role, with a search box.
 * A radio group (arrow keys move within it, Tab leaves it), each choice a full-width 44 px row;
 * references never reach the page: a radio's value is its position in the list.
 */
export function PersonPicker({ legend, people, isLoading, outcome, value, onChange }: PersonPickerProps) {
  const [query, setQuery] = useState('');
  const id = useId();
  const all = people ?? [];
  const shown = searchCarePeople(all, query);
  const chosen = all.find((p) => p.reference === value);
  const state = outcome ? 'failed' : isLoading || !people ? 'loading' : all.length === 0 ? 'empty' : 'list';
  return (
    <fieldset className="min-w-0 space-y-2" data-testid="person-picker" data-state={state}>
      <legend className="font-medium">{legend}</legend>
      {state === 'loading' ? <p role="status" className="text-gray-700">Finding the people who care for you…</p> : null}
      {state === 'failed' ? (
        <p role="alert" className="text-red-800">Your care team could not be loaded just now. Check your connection and reload this page; nothing has been shared or changed.</p>
      ) : null}
      {state === 'empty' ? <p className="text-gray-700">Your clinic has not listed anyone who cares for you yet, so there is no one to choose. Ask your clinic to add them to your care team.</p> : null}
      {state === 'list' ? (
        <>
          <label className="block" htmlFor={`${id}-search`}>
            Search by name or role
            <input
              id={`${id}-search`}
              data-testid="person-search"
              type="search"
              autoComplete="off"
              className="mt-1 block min-h-11 w-full rounded-lg border border-gray-400 px-2"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              aria-describedby={`${id}-count`}
            />
          </label>
          <p id={`${id}-count`} role="status" className="text-sm text-gray-700">
            {shown.length === all.length ? `${all.length} ${all.length === 1 ? 'person' : 'people'}` : `${shown.length} of ${all.length} match`}
          </p>
          <div className="divide-y divide-gray-200 rounded-xl border border-gray-300 bg-white">
            {shown.map((p) => {
              const index = all.indexOf(p);
              return (
                <label key={index} data-testid="person-option" className="flex min-h-11 cursor-pointer items-center gap-3 px-3 py-2 has-[:checked]:bg-blue-50 has-[:focus-visible]:outline-2">
                  <input type="radio" name={`${id}-person`} value={String(index)} className={RADIO} checked={p.reference === value} onChange={() => onChange(p)} />
                  <span className="min-w-0 break-words">
                    <span className="block font-medium" data-testid="person-name">{p.name}</span>
                    <span className="block text-sm text-gray-700">{p.role}</span>
                  </span>
                </label>
              );
            })}
            {shown.length === 0 ? <p className="p-3 text-gray-700" data-testid="person-no-match">No one matches “{query}”. Try part of their name, or their role.</p> : null}
          </div>
          {chosen && !shown.includes(chosen) ? <p className="text-sm" data-testid="person-chosen">Chosen: {chosen.name}</p> : null}
        </>
      ) : null}
    </fieldset>
  );
}

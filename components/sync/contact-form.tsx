'use client';

import type { Patient } from '@medplum/fhirtypes';
import { useEffect, useState } from 'react';
import { contactEdits, contactValues } from './contact-edits';
import { isStorageLost } from '@/lib/sync/sync-state';
import { useSync } from './sync-provider';
import { writeFailure } from './write-failure';

const input = 'mt-1 block min-h-11 w-full rounded-lg border border-gray-400 px-3';

/** The patient's phone, email and home address; saving queues changes in the outbox, so it works offline. */
export function ContactForm() {
  const sync = useSync();
  const [base, setBase] = useState<Patient | null>(null);
  const [oldCopyFrom, setOldCopyFrom] = useState<number | undefined>();
  const [message, setMessage] = useState('');
  // Nothing to show: the clinic could not be reached and the device holds no copy it may still show.
  const [unavailable, setUnavailable] = useState(false);
  const { ready, readPatient } = sync;
  // The session is over; or the browser cleared this device's storage under the page, whose
  // key went with it, so nothing more may be queued here until the page is loaded again.
  const storageLost = isStorageLost(sync.state);
  const ended = sync.state.kind === 'stopped' && !storageLost;

  useEffect(() => {
    // Once the session is over the details leave the screen (and this component's memory) too.
    if (ended || storageLost) setBase(null);
  }, [ended, storageLost]);

  useEffect(() => {
    if (ready && !base && !ended && !storageLost && !unavailable) {
      void readPatient().then((shown) => {
        setOldCopyFrom(shown?.oldCopyFrom);
        setBase(shown?.resource ?? null);
        setUnavailable(!shown);
      });
    }
  }, [ready, base, ended, storageLost, unavailable, readPatient]);

  if (storageLost) {
    return (
      <section className="mt-3 rounded-xl border border-amber-300 bg-amber-50 p-3" data-testid="contact-storage-lost">
        <h2 className="font-semibold">Load the page again to go on</h2>
        <p className="mt-1 text-gray-800">This browser cleared what Housecall kept on this device, so changes cannot be kept here until the page is loaded again. The line above says what was lost.</p>
        <button type="button" onClick={() => window.location.reload()} className="mt-2 min-h-11 rounded-lg border border-gray-400 bg-white px-4 font-medium" data-testid="contact-reload">Load again</button>
      </section>
    );
  }
  if (ended) {
    return (
      <section className="mt-3 rounded-xl border border-gray-200 bg-white p-3" data-testid="contact-ended">
        <h2 className="font-semibold">Your session ended</h2>
        <p className="mt-1 text-gray-800">Your contact details are no longer shown on this device. Open Housecall again from your patient portal to see or change them; the line above says what happened to anything not yet sent.</p>
      </section>
    );
  }
  if (!base && unavailable) {
    return (
      <section className="mt-3 rounded-xl border border-amber-300 bg-amber-50 p-3" data-testid="contact-unavailable">
        <p className="text-amber-900">Your clinic could not be reached, and this device keeps your contact details for a limited time only (3 days). They show here again once there is a connection.</p>
        <button type="button" onClick={() => setUnavailable(false)} className="mt-2 min-h-11 rounded-lg border border-gray-400 bg-white px-4 font-medium" data-testid="contact-retry">Try again</button>
      </section>
    );
  }
  if (!base) return <p className="p-3 text-gray-700" data-testid="contact-loading">Loading your contact details…</p>;
  const shown = contactValues(base);

  async function save(form: FormData) {
    if (!base) return;
    const text = (name: string) => String(form.get(name) ?? '').trim();
    // Each edit is its own outbox entry, made on the copy the previous one produced.
    let current: Patient = base;
    const apply = async (run: (p: Patient) => Promise<unknown>) => {
      current = ((await run(current)) as Patient | null) ?? current;
    };
    try {
      const typed = { phone: text('phone'), email: text('email'), line: text('line'), city: text('city'), postalCode: text('postalCode') };
      // Each edit names the one entry the person saw, so another with the same use is left alone.
      for (const edit of contactEdits(base, typed)) {
        await apply((p) => (edit.name === 'editTelecom' ? sync.queue('editTelecom', p, edit.args) : sync.queue('editAddress', p, edit.args)));
      }
    } catch (error) {
      // Storage refused the write: what was queued before it stays queued; the form keeps what was typed.
      return setMessage(writeFailure(error));
    }
    if (current === base) return setMessage('Nothing changed.');
    setBase(current);
    setMessage('Saved on this device. It is sent to your clinic as soon as there is a connection.');
  }

  return (
    // onSubmit, not a form action: React resets an action's form when it settles, which would
    // throw away what was typed when the device could not keep it.
    <form onSubmit={(e) => { e.preventDefault(); void save(new FormData(e.currentTarget)); }} className="mt-3 space-y-3 rounded-xl border border-gray-200 bg-white p-3" data-testid="contact-form">
      {oldCopyFrom !== undefined ? (
        <p className="rounded-lg border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900" data-testid="contact-stale">
          Your clinic could not be reached. These are the details this device saved on {new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(oldCopyFrom)}, and they may be out of date.
        </p>
      ) : null}
      <label className="block">Mobile phone<input className={input} name="phone" type="tel" defaultValue={shown.phone} data-testid="contact-phone" /></label>
      <label className="block">Email<input className={input} name="email" type="email" defaultValue={shown.email} data-testid="contact-email" /></label>
      <fieldset className="space-y-2">
        <legend className="font-medium">Home address</legend>
        <label className="block">Street<input className={input} name="line" defaultValue={shown.line} data-testid="contact-line" /></label>
        <label className="block">City<input className={input} name="city" defaultValue={shown.city} data-testid="contact-city" /></label>
        <label className="block">Postal code<input className={input} name="postalCode" defaultValue={shown.postalCode} data-testid="contact-postal" /></label>
      </fieldset>
      <button type="submit" className="min-h-11 rounded-lg bg-[var(--hc-accent)] px-4 font-medium text-white" data-testid="contact-save">Save</button>
      <p role="status" className="text-sm text-gray-800" data-testid="contact-message">{message}</p>
    </form>
  );
}

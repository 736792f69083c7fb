'use client';
import { useState } from 'react';

/** An auditor reveals the real id behind a pseudonym: asks for a reason, posts it (audited), shows the answer here only. */
export function RevealId({ launchId, which }: { launchId: string; which: 'user' | 'patient' }) {
  const [reason, setReason] = useState('');
  const [state, setState] = useState<{ id?: string | null; error?: string }>({});
  async function reveal() {
    const res = await fetch(`/staff/api/launches/${encodeURIComponent(launchId)}/reveal`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ which, reason }) });
    if (!res.ok) {
      setState({ error: res.status === 403 ? 'Your role may not reveal ids.' : 'Give a reason of at least 3 characters.' });
      return;
    }
    setState({ id: ((await res.json()) as { id: string | null }).id });
  }
  if (state.id !== undefined) return <code data-testid={`staff-revealed-${which}`}>{state.id ?? 'none'}</code>;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`reveal-${which}`}>Reason to reveal the {which} id</label>
      <input id={`reveal-${which}`} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="reason" className="min-h-11 rounded-lg border border-gray-300 px-2" />
      <button type="button" onClick={reveal} className="min-h-11 rounded-lg border border-gray-300 px-3" data-testid={`staff-reveal-${which}`}>Reveal (audited)</button>
      {state.error ? <span role="alert" className="text-sm text-red-800">{state.error}</span> : null}
    </span>
  );
}

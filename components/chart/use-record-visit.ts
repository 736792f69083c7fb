'use client';
import { useEffect, useRef, useState } from 'react';

/**
 * Tells the server, once per page, that this clinician has now seen the chart (its data has
 * loaded), so the next launch's "needs attention" counts from here. Reloads within one launch
 * do not move the baseline (the server keys visits by launch).
 */
export function useRecordVisit(launchId: string, ready: boolean): 'idle' | 'recording' | 'recorded' | 'failed' {
  const [state, setState] = useState<'idle' | 'recording' | 'recorded' | 'failed'>('idle');
  const sent = useRef(false);
  useEffect(() => {
    if (!ready || sent.current) return;
    sent.current = true;
    setState('recording');
    fetch(`/l/${launchId}/chart/visit`, { method: 'POST', credentials: 'same-origin' })
      .then((res) => setState(res.ok ? 'recorded' : 'failed'))
      .catch(() => setState('failed'));
  }, [launchId, ready]);
  return state;
}

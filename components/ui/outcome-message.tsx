const OUTCOME_TEXT: Record<string, string> = {
  'scope-not-granted': 'Not shared with Housecall for this launch.',
  'consent-denied': 'The patient’s sharing choices do not allow this.',
  'outside-compartment': 'Not available for this patient through Housecall.',
  'launch-ended': 'Your session ended. Relaunch Housecall from your EHR.',
  'not-authenticated': 'This window is no longer signed in. Relaunch Housecall.',
  'upstream-timeout': 'The EHR did not answer in time.',
  'upstream-error': 'The EHR could not return this data just now.',
  'response-too-large': 'The EHR sent more data than Housecall accepts at once.',
  network: 'No connection to Housecall.',
};

export function outcomeText(outcome: string): string {
  return OUTCOME_TEXT[outcome] ?? 'This could not be loaded.';
}

/**
 * Why a section (or part of one) has no data, said in place: the rest of the chart still
 * renders. `label` names the part when a section has several sources.
 */
export function OutcomeMessage({ outcome, label }: { outcome: string; label?: string }) {
  const tail = outcome === 'scope-not-granted' || outcome === 'consent-denied' ? '' : ' The rest of the chart is still current.';
  return (
    <p className="mt-2 rounded-[var(--hc-radius,0.5rem)] bg-gray-100 p-3 text-gray-800" data-testid="section-outcome" data-outcome={outcome} role="note">
      {label ? <span className="font-semibold">{label}: </span> : null}
      {outcomeText(outcome)}
      {tail}
    </p>
  );
}

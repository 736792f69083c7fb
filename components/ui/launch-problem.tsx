const MESSAGES = {
  'no-session': { title: 'Housecall could not recognise this browser window', advice: 'Your browser may be blocking cookies inside the EHR. Relaunch Housecall from your EHR, or open it in a new window.' },
  'not-found': { title: 'This Housecall session does not exist', advice: 'Open Housecall again from your EHR or portal.' },
  'other-session': { title: 'This Housecall session belongs to another browser', advice: 'Open Housecall again from your EHR or portal in this browser.' },
  ended: { title: 'Your session ended', advice: 'Relaunch Housecall from your EHR or portal.' },
  'patient-only': { title: 'Only the patient can open this page', advice: 'This part of Housecall is for patients managing their own record. Clinicians see the chart from their EHR; if you are the patient, sign in to your portal as yourself.' },
} as const;

export type LaunchProblemReason = keyof typeof MESSAGES;

/** The page shown instead of a chart when this browser may not use the launch in the URL. */
export function LaunchProblem({ reason }: { reason: LaunchProblemReason }) {
  const m = MESSAGES[reason];
  return (
    <main className="mx-auto max-w-xl p-6" data-testid="launch-problem" data-reason={reason}>
      <div className="rounded-xl border border-gray-200 bg-white p-6">
        <h1 className="text-xl font-semibold">{m.title}</h1>
        <p className="mt-3 text-gray-700">{m.advice}</p>
      </div>
    </main>
  );
}

/**
 * The page a launch shows when the EHR granted Housecall nothing of the patient's record (the
 * person unticked every box on its consent screen, or the EHR's policy allows none): said
 * plainly, once, instead of a summary whose every section fails, and with no request sent that
 * the grant would refuse. The patient may sign in again and allow access; a clinician relaunches
 * from the EHR.
 */
export function NothingShared({ audience, askAgainHref }: { audience: 'patient' | 'clinician'; askAgainHref: string | null }) {
  const patient = audience === 'patient';
  return (
    <main className="mx-auto max-w-xl p-3" data-testid="nothing-shared" data-audience={audience}>
      <div className="rounded-[var(--hc-radius,0.75rem)] border border-gray-300 bg-white p-4">
        <h1 className="text-xl font-semibold">{patient ? 'Your record was not shared with Housecall' : 'This patient’s record was not shared with Housecall'}</h1>
        <p className="mt-2 text-gray-800">
          {patient
            ? 'When you signed in, your clinic’s system did not give Housecall permission to read any part of your health record, so there is nothing to show. Nothing in your record was changed.'
            : 'The EHR did not give Housecall permission to read any part of this patient’s record for this launch, so there is nothing to show.'}
        </p>
        {patient && askAgainHref ? (
          <>
            <p className="mt-2 text-gray-800">To use Housecall, sign in again and allow access to the parts of your record you want to see.</p>
            <a href={askAgainHref} className="mt-3 inline-flex min-h-11 items-center rounded-lg bg-[var(--hc-accent,#1d4ed8)] px-4 font-semibold text-white" data-testid="ask-again">
              Sign in again and choose what to share
            </a>
          </>
        ) : (
          <p className="mt-2 text-gray-800">
            {patient ? 'Ask your clinic how to share your record with Housecall.' : 'Launch Housecall again from the EHR; if this persists, ask your EHR team which access Housecall is given.'}
          </p>
        )}
      </div>
    </main>
  );
}

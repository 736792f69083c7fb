/**
 * A portal part whose scopes the EHR did not grant: said plainly, never shown as an empty list,
 * with a way to ask again (a new launch asking for this part's scopes, returning here).
 */
export function PartNotShared({ what, askAgainHref }: { what: string; askAgainHref: string | null }) {
  return (
    <section className="mx-auto max-w-3xl p-3" data-testid="part-not-shared" aria-labelledby="not-shared-title">
      <div className="rounded-[var(--hc-radius,0.75rem)] border border-gray-300 bg-white p-4">
        <h1 id="not-shared-title" className="text-xl font-semibold">Your {what} were not shared with Housecall</h1>
        <p className="mt-2 text-gray-800">
          When you signed in, your clinic&apos;s system did not give Housecall permission to read your {what}, so nothing can be shown here. This does not mean you have none.
        </p>
        {askAgainHref ? (
          <>
            <p className="mt-2 text-gray-800">You can sign in again and allow access to your {what}. You will come back to this page.</p>
            <a href={askAgainHref} className="mt-3 inline-flex min-h-11 items-center rounded-lg bg-[var(--hc-accent,#1d4ed8)] px-4 font-semibold text-white" data-testid="ask-again">
              Ask for access to my {what}
            </a>
          </>
        ) : (
          <p className="mt-2 text-gray-800">Ask your clinic how to share them.</p>
        )}
      </div>
    </section>
  );
}

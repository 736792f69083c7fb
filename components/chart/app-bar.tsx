/** Housecall's bar above the chart: who it is for and the way out. */
export function AppBar({ launchId, source }: { launchId: string; source: string }) {
  return (
    <div className="mx-auto flex max-w-3xl items-center justify-between gap-2 px-3 pt-3 text-sm text-gray-700">
      <span>
        Housecall · <span data-testid="source-system">{source}</span>
      </span>
      <form method="post" action={`/l/${launchId}/signout`}>
        <button type="submit" data-testid="sign-out" className="min-h-11 rounded-lg px-3 text-[var(--hc-accent)] underline-offset-2 hover:underline focus-visible:outline-2">
          Sign out
        </button>
      </form>
    </div>
  );
}

import { SignOutButton } from './sign-out-button';

/** Housecall's bar above the chart: which system the data comes from, and the way out. */
export function AppBar({ launchId, source }: { launchId: string; source: string }) {
  return (
    <header className="mx-auto flex max-w-5xl items-center justify-between gap-2 px-3 pt-2 text-sm text-gray-700">
      <span>
        Housecall · <span data-testid="source-system">{source}</span>
      </span>
      <SignOutButton launchId={launchId} />
    </header>
  );
}

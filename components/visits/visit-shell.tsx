import { AppBar } from '@/components/chart/app-bar';

/** The frame of the portal's visit pages: the app bar, the way back to the summary, the title. */
export function VisitShell({ launchId, source, title, testId, children }: { launchId: string; source: string; title: string; testId: string; children: React.ReactNode }) {
  return (
    <div data-hc-styled="" data-testid="styled-root" className="min-h-screen bg-[var(--hc-bg)] [font-family:var(--hc-font)]">
      <AppBar launchId={launchId} source={source} />
      <main className="mx-auto max-w-3xl p-3" data-testid={testId}>
        <p>
          <a className="inline-flex min-h-11 items-center gap-1 text-[var(--hc-accent,#1d4ed8)] underline" href={`/l/${launchId}/portal`} data-testid="back-to-portal">
            <span aria-hidden="true">‹</span> Back to your summary
          </a>
        </p>
        <h1 className="text-xl font-semibold">{title}</h1>
        {children}
      </main>
    </div>
  );
}

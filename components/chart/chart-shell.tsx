import { ActionBar } from './action-bar';
import { AppBar } from './app-bar';
import { ScrollRestorer } from './scroll-restorer';

/**
 * The frame of every chart view: the element the EHR's styling applies to (smart_style_url,
 * as CSS variables set by the chart layout's SmartStyle), the app bar, the view, the primary
 * actions, and scroll restoration for this URL.
 */
export function ChartShell(props: { launchId: string; source: string; view: string; current?: 'results' | 'note'; children: React.ReactNode }) {
  const { launchId, source, view, current, children } = props;
  return (
    <div data-hc-styled="" data-testid="styled-root" className="min-h-screen bg-[var(--hc-bg)] text-[var(--hc-text,#111827)] [font-family:var(--hc-font)]">
      <AppBar launchId={launchId} source={source} />
      <ActionBar launchId={launchId} {...(current ? { current } : {})} />
      <main className="mx-auto max-w-5xl p-3 pb-28 md:pb-6">{children}</main>
      <ScrollRestorer launchId={launchId} view={view} />
    </div>
  );
}

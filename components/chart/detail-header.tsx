import { AppLink } from '@/components/ui/app-link';
import { chartPath } from './chart-paths';

/** Top of a detail view: the way back to the summary (or a parent view), and what this is. */
export function DetailHeader({ launchId, title, back, children }: { launchId: string; title: string; back?: { href: string; label: string }; children?: React.ReactNode }) {
  const to = back ?? { href: chartPath(launchId), label: 'Chart summary' };
  return (
    <div className="mb-3">
      <AppLink href={to.href} className="inline-flex min-h-11 items-center gap-1 text-[var(--hc-accent,#1d4ed8)] underline-offset-2 hover:underline" data-testid="detail-back">
        <span aria-hidden="true">‹</span> {to.label}
      </AppLink>
      <h1 id="detail-title" className="text-xl font-semibold" data-testid="detail-title">{title}</h1>
      {children}
    </div>
  );
}

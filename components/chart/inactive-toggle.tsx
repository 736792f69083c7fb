import { AppLink } from '@/components/ui/app-link';

/**
 * Shows or hides inactive and entered-in-error entries. A link, not local state: the choice is
 * part of the URL, so it survives a reload and can be shared.
 */
export function InactiveToggle({ href, showing, hidden }: { href: string; showing: boolean; hidden?: number }) {
  const label = showing ? 'Hide inactive and entered-in-error entries' : `Show inactive and entered-in-error entries${hidden !== undefined ? ` (${hidden})` : ''}`;
  return (
    <AppLink href={href} replace scroll={false} className="inline-flex min-h-11 items-center rounded-lg border border-gray-300 bg-white px-3 text-sm font-medium text-gray-900 hover:bg-gray-50" data-testid="inactive-toggle" data-showing={showing ? 'yes' : 'no'}>
      {label}
    </AppLink>
  );
}

'use client';
import { useRouter } from 'next/navigation';

type AppLinkProps = Omit<React.AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & {
  href: string;
  /** Replaces the current history entry instead of adding one. */
  replace?: boolean;
  /** Scrolls to the top of the new page (the default), or keeps the position. */
  scroll?: boolean;
};

/**
 * A link to another Housecall page that the App Router follows in place: the page's providers,
 * sync engine and device cache stay open, and only the new page's views ask for their answers.
 * What Housecall used of next/link, without its prefetching machinery (about 3 KB on every
 * portal and chart page, issue 16): every page is rendered on request, and the chart prefetches
 * its views itself (chart-prefetch.tsx). A plain link the browser follows itself before the
 * page's scripts run, and whenever the person asks for a new tab or window, or a download.
 */
export function AppLink({ href, replace = false, scroll = true, onClick, ...rest }: AppLinkProps) {
  const router = useRouter();
  return (
    <a
      {...rest}
      href={href}
      onClick={(event) => {
        onClick?.(event);
        const { target } = event.currentTarget;
        const own = !event.defaultPrevented && event.button === 0 && !(event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) && (target === '' || target === '_self') && !event.currentTarget.hasAttribute('download');
        if (!own) return;
        event.preventDefault();
        if (replace) router.replace(href, { scroll });
        else router.push(href, { scroll });
      }}
    />
  );
}

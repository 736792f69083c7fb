'use client';
import { AppLink } from '@/components/ui/app-link';
import { usePathname } from 'next/navigation';

/** The patient's three jobs, first on every portal page: results, messages, appointments; and the way home. */
const JOBS = [
  { part: 'results', label: 'View results', testId: 'nav-results' },
  { part: 'messages', label: 'Message care team', testId: 'nav-messages' },
  { part: 'appointments', label: 'Appointments', testId: 'nav-appointments' },
] as const;

export function PortalNav({ launchId }: { launchId: string }) {
  const pathname = usePathname();
  const home = `/l/${launchId}/portal`;
  const tile = 'flex min-h-14 items-center justify-center rounded-lg border px-2 py-2 text-center text-sm font-semibold leading-tight';
  return (
    <nav aria-label="Your portal" className="mx-auto max-w-3xl px-3 pt-2" data-testid="portal-nav">
      {pathname !== home ? (
        <AppLink href={home} className="inline-flex min-h-11 min-w-11 items-center pr-2 text-sm text-[var(--hc-accent,#1d4ed8)] underline" data-testid="nav-home">
          Home
        </AppLink>
      ) : null}
      <ul className="grid grid-cols-3 gap-2">
        {JOBS.map((job) => {
          const href = `${home}/${job.part}`;
          const current = pathname === href || pathname?.startsWith(`${href}/`);
          return (
            <li key={job.part}>
              <AppLink
                href={href}
                aria-current={current ? 'page' : undefined}
                data-testid={job.testId}
                className={`${tile} ${current ? 'border-[var(--hc-accent,#1d4ed8)] bg-[var(--hc-accent,#1d4ed8)] text-white' : 'border-gray-300 bg-white text-[var(--hc-accent,#1d4ed8)]'}`}
              >
                {job.label}
              </AppLink>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The portal's visit pages, as a list of links the portal home can place where it likes. */
export const VISIT_PAGES = [
  ['appointments', 'Appointments'],
  ['immunizations', 'Immunizations'],
  ['documents', 'Documents'],
  ['care-plan', 'Care plan'],
] as const;

export function VisitLinks({ launchId }: { launchId: string }) {
  return (
    <nav aria-label="Visits and records" className="mx-auto max-w-3xl px-3">
      <ul className="flex flex-wrap gap-x-4">
        {VISIT_PAGES.map(([path, text]) => (
          <li key={path}>
            <a className="inline-flex min-h-11 items-center text-[var(--hc-accent)] underline" href={`/l/${launchId}/portal/${path}`} data-testid={`visit-link-${path}`}>
              {text}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

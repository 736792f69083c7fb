import { AppLink } from '@/components/ui/app-link';
import type { AttentionItem } from '@/lib/portal/attention';

/** The home's first section: what the patient needs to do or know now, urgent items first. */
export function AttentionList({ items, gaps = [], loading }: { items: AttentionItem[]; gaps?: string[]; loading: boolean }) {
  return (
    <section aria-labelledby="attention-title" data-testid="portal-attention" className="rounded-[var(--hc-radius,0.75rem)] border-2 border-amber-300 bg-amber-50 p-3">
      <h2 id="attention-title" className="text-lg font-semibold">For you now</h2>
      {items.length > 0 ? (
        <ul className="mt-1 divide-y divide-amber-200">
          {items.map((item, i) => (
            <li key={`${item.kind}-${i}`} data-testid="attention-item" data-kind={item.kind} data-urgent={item.urgent ? 'true' : undefined}>
              <AppLink href={item.href} className="flex min-h-11 items-center justify-between gap-2 py-2 hover:bg-amber-100">
                <span>
                  <span className="block font-medium text-gray-950">{item.title}</span>
                  {item.detail ? <span className="block text-sm text-gray-800" data-testid="attention-detail">{item.detail}</span> : null}
                </span>
                <span aria-hidden="true" className="text-[var(--hc-accent,#1d4ed8)]">›</span>
              </AppLink>
            </li>
          ))}
        </ul>
      ) : null}
      {gaps.map((gap) => <p key={gap} className="mt-1 text-gray-800" data-testid="attention-gap">{gap}</p>)}
      {loading ? <p className="mt-1 text-sm text-gray-800" role="status">Checking for anything new…</p> : null}
      {!loading && items.length === 0 ? <p className="mt-1 text-gray-800" data-testid="attention-empty">{gaps.length ? 'Nothing else needs you right now.' : 'Nothing needs you right now.'}</p> : null}
    </section>
  );
}

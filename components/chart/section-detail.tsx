'use client';
import type { AllergyIntolerance, Bundle } from '@medplum/fhirtypes';
import { LIST_SECTIONS, type ListSectionId } from '@/lib/fhir/compose/sections';
import { resourcesOf } from '@/lib/fhir/compose/entries';
import { useFhir } from '@/components/fhir/use-fhir';
import { useNames } from '@/components/fhir/use-names';
import { Freshness } from '@/components/ui/freshness';
import { OutcomeMessage } from '@/components/ui/outcome-message';
import { PartialNotice } from '@/components/ui/partial-notice';
import { useNow } from '@/components/ui/use-now';
import { ConsentHiddenNotice } from '@/components/consent/consent-hidden-notice';
import { hiddenAcross } from '@/lib/consent/hidden';
import { AllergyComment } from './allergy-comment';
import { chartPath } from './chart-paths';
import { DetailHeader } from './detail-header';
import { EntryItem } from './entry-item';
import { InactiveToggle } from './inactive-toggle';
import { sectionItems, sectionStatus } from './section-data';

/** Every entry of one section, newest first; inactive and entered-in-error on request. */
export function SectionDetail({ launchId, section, source, showInactive, author = null, nameTypes = [] }: { launchId: string; section: ListSectionId; source: string; showInactive: boolean; author?: string | null; nameTypes?: readonly string[] }) {
  const def = LIST_SECTIONS[section];
  const now = useNow();
  // A section has at most two requests (medications); both hooks are always called.
  const first = useFhir<Bundle>(launchId, def.requests[0]?.path ?? null);
  const second = useFhir<Bundle>(launchId, def.requests[1]?.path ?? null);
  const parts = def.requests.map((r, i) => ({ label: r.label, state: i === 0 ? first : second, build: r.build }));
  const names = useNames(launchId, nameTypes, [first.data, second.data]);
  const all = sectionItems(parts, source, { includeInactive: true }, names);
  const items = showInactive ? all : all?.filter((i) => i.state === 'active');
  const hidden = all ? all.length - (all.filter((i) => i.state === 'active').length) : undefined;
  const status = sectionStatus(parts);
  const withheld = hiddenAcross([first.data, second.data]);
  // Allergies take comments from a clinician the EHR named (fhirUser).
  const allergies = section === 'allergies' && author ? new Map(resourcesOf<AllergyIntolerance>(first.data, 'AllergyIntolerance').map((a) => [a.id, a])) : undefined;
  return (
    <section data-testid={`detail-${section}`} aria-labelledby="detail-title">
      <DetailHeader launchId={launchId} title={def.title}>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <Freshness fetchedAt={status.fetchedAt} now={now} offline={status.offline ?? false} />
          <InactiveToggle href={chartPath(launchId, section, showInactive ? {} : { inactive: '1' })} showing={showInactive} {...(hidden !== undefined ? { hidden } : {})} />
        </div>
      </DetailHeader>
      {withheld.hidden ? <ConsentHiddenNotice launchId={launchId} why={withheld.why} /> : null}
      {status.isLoading ? <p role="status">Loading…</p> : null}
      {status.outcomes.map((o) => <OutcomeMessage key={o.label ?? o.outcome} {...o} />)}
      {status.partial ? <PartialNotice partial={status.partial} /> : null}
      {items && items.length === 0 && !status.outcomes.length && status.partial !== 'withheld' ? <p className="text-gray-700">{def.empty}</p> : null}
      {items && items.length > 0 ? (
        <ul className="divide-y divide-gray-200 rounded-[var(--hc-radius,0.75rem)] border border-gray-200 bg-white px-3">
          {items.map((item) => {
            const allergy = allergies?.get(item.provenance.id);
            return (
              <EntryItem key={item.key} item={item} now={now}>
                {allergy && author ? <AllergyComment launchId={launchId} allergy={allergy} author={author} /> : null}
              </EntryItem>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}

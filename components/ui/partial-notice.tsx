/**
 * Says a list is less than the whole (SectionStatus.partial): an empty list the EHR cut short
 * must never read as "none recorded". The words name what to do about it.
 */
export function PartialNotice({ partial }: { partial: 'withheld' | 'more' }) {
  return (
    <p className="my-1 rounded bg-amber-50 p-2 text-sm text-amber-950" data-testid="section-partial" data-partial={partial}>
      {partial === 'withheld'
        ? 'The EHR said it left some entries out, so this list may not be complete. Check the EHR before relying on it.'
        : 'The EHR has more entries than it sent at once; only those it sent are shown here.'}
    </p>
  );
}

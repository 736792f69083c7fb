import type { Bundle } from '@medplum/fhirtypes';
import { arr, obj, str } from './guards';

// A module of its own (items.ts re-exports it): the portal's home reads it on first load, without the list code.

type Entry = NonNullable<Bundle['entry']>[number];

/**
 * Why a search answer may be less than the whole list: `withheld` when the EHR said it left
 * entries out (a warning or error OperationOutcome entry, `search.mode: outcome`, as Oracle
 * Health sends), `more` when it has further pages (`next`) this view did not read.
 */
export function answerGap(bundle: unknown): 'withheld' | 'more' | undefined {
  const b = obj(bundle);
  const withheld = arr<Entry>(b?.entry).some((e) => {
    const r = obj(obj(e)?.resource);
    return r?.resourceType === 'OperationOutcome' && str(obj(obj(e)?.search)?.mode) === 'outcome'
      && arr<unknown>(r.issue).some((i) => ['warning', 'error', 'fatal'].includes(str(obj(i)?.severity) ?? ''));
  });
  if (withheld) return 'withheld';
  return arr<unknown>(b?.link).some((l) => obj(l)?.relation === 'next') ? 'more' : undefined;
}

import type { Bundle } from '@medplum/fhirtypes';
import type { ComposeContext } from '@/lib/fhir/compose/items';
import { toResultSeries } from '@/lib/fhir/compose/observations';
import { newResults } from '@/lib/fhir/compose/results-explained';

/**
 * Results in a laboratory answer issued since `since`, explained (results-explained.ts): the
 * home's new-result items. A chunk of its own (attention-sources.ts), with the code that reads
 * results, so the home's first load carries none of it.
 */
export function newResultsIn(labs: Bundle, ctx: ComposeContext, since: string | null, now: number) {
  return newResults(toResultSeries(labs, ctx), since, now);
}

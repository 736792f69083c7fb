import type { Bundle } from '@medplum/fhirtypes';
import { mergeSeries, toResultSeries, type ResultSeries } from '@/lib/fhir/compose/observations';

/**
 * What the page of one test composes of its history: a chunk of its own (portal-result-detail.tsx),
 * loaded while the history and the device's "last seen" arrive, which the page waits for before
 * it can explain the newest result. Its first load carries none of it.
 */
export { explainResult } from '@/lib/fhir/compose/results-explained';
export { seriesNumberText } from '@/lib/fhir/compose/observations';
export { ResultExplained } from './explained-result';

/** The series of `code` across the history's pages (undefined when none of them holds it). */
export function historySeries(pages: readonly { body: Bundle; fetchedAt: string }[], code: string, source: string): ResultSeries | undefined {
  return mergeSeries(pages.flatMap((pg) => toResultSeries(pg.body, { source, fetchedAt: pg.fetchedAt }, { includeInactive: true }).filter((s) => s.key === code)));
}

import type { SectionId } from '@/lib/fhir/compose/requests';

/** URLs of the chart's views. Shareable state (open section, code, toggles) lives here, in the URL. */
export function chartPath(launchId: string, section?: SectionId | 'note', params: Record<string, string | undefined> = {}): string {
  const base = `/l/${launchId}/chart${section ? `/${section}` : ''}`;
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return query ? `${base}?${query}` : base;
}

export function resultPath(launchId: string, category: 'laboratory' | 'vital-signs' | 'other', key: string): string {
  return chartPath(launchId, category === 'vital-signs' ? 'vitals' : 'results', { code: key });
}

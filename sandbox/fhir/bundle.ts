/** Bundles as clients expect them: absolute fullUrls, paging links under the base URL, search modes. */
import type { Bundle, BundleEntry, BundleLink, Resource } from '@medplum/fhirtypes';
import type { ChangeEntry } from './history';
import { loadDefinitions } from './definitions';

export function fullUrl(baseUrl: string, resource: Resource): string {
  return `${baseUrl}/${resource.resourceType}/${resource.id ?? ''}`;
}

export function etag(versionId: string | undefined): string {
  return `W/"${versionId ?? ''}"`;
}

function url(baseUrl: string, path: string, query: readonly [string, string][]): string {
  const qs = new URLSearchParams(query as [string, string][]).toString();
  return `${baseUrl}/${path}${qs ? `?${qs}` : ''}`;
}

export interface Page {
  baseUrl: string;
  /** Path under the base, e.g. `Observation` or `Patient/p1/_history`. */
  path: string;
  /** The query that reproduces the result set, without `_count`/`_offset`. */
  query: readonly [string, string][];
  offset: number;
  count: number;
  total: number;
}

export function pageLinks(p: Page): BundleLink[] {
  const at = (offset: number): string => url(p.baseUrl, p.path, [...p.query, ['_count', String(p.count)], ['_offset', String(offset)]]);
  const links: BundleLink[] = [{ relation: 'self', url: at(p.offset) }];
  if (p.count > 0) {
    if (p.offset > 0) links.push({ relation: 'first', url: at(0) });
    if (p.offset + p.count < p.total) links.push({ relation: 'next', url: at(p.offset + p.count) });
    if (p.offset > 0) links.push({ relation: 'previous', url: at(Math.max(0, p.offset - p.count)) });
  }
  return links;
}

export function searchBundle(page: Page, matches: Resource[], included: Resource[], showTotal: boolean): Bundle {
  const entry: BundleEntry[] = [
    ...matches.map((resource) => ({ fullUrl: fullUrl(page.baseUrl, resource), resource, search: { mode: 'match' as const } })),
    ...included.map((resource) => ({ fullUrl: fullUrl(page.baseUrl, resource), resource, search: { mode: 'include' as const } })),
  ];
  return {
    resourceType: 'Bundle',
    id: crypto.randomUUID(),
    meta: { lastUpdated: new Date().toISOString() },
    type: 'searchset',
    ...(showTotal ? { total: page.total } : {}),
    link: pageLinks(page),
    ...(entry.length ? { entry } : {}),
  };
}

/** A history Bundle (newest first). Deletes carry no resource, only request and response. */
export function historyBundle(page: Page, changes: ChangeEntry[], serverTime: string): Bundle {
  const entry: BundleEntry[] = changes.map((c) => ({
    fullUrl: `${page.baseUrl}/${c.resourceType}/${c.id}`,
    ...(c.method === 'DELETE' ? {} : { resource: c.resource }),
    request: { method: c.method, url: c.method === 'POST' ? c.resourceType : `${c.resourceType}/${c.id}` },
    response: {
      status: c.method === 'POST' ? '201 Created' : c.method === 'PUT' ? '200 OK' : '204 No Content',
      etag: etag(c.versionId),
      lastModified: c.lastUpdated,
    },
  }));
  return {
    resourceType: 'Bundle',
    id: crypto.randomUUID(),
    meta: { lastUpdated: serverTime },
    type: 'history',
    total: page.total,
    link: pageLinks(page),
    ...(entry.length ? { entry } : {}),
  };
}

const SUBSETTED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'SUBSETTED', display: 'subsetted' };

function keep(resource: Resource, names: ReadonlySet<string>): Resource {
  const choices = loadDefinitions().choiceElements.get(resource.resourceType) ?? new Set<string>();
  const wanted = (key: string): boolean => {
    const name = key.replace(/^_/, '');
    if (names.has(name)) return true;
    // A choice element `value[x]` appears as valueQuantity, valueString, ...
    return [...names].some((n) => choices.has(n) && name.startsWith(n) && /^[A-Z]/.test(name.slice(n.length)));
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key === 'resourceType' || key === 'id' || wanted(key)) out[key] = value;
  }
  const meta = resource.meta ?? {};
  out.meta = { ...meta, tag: [...(meta.tag ?? []), SUBSETTED] };
  return out as unknown as Resource;
}

/** Applies `_elements` or `_summary` (true | text | data) to a resource; returns it unchanged otherwise. */
export function subset(resource: Resource, elements?: string[], summary?: string): Resource {
  const defs = loadDefinitions();
  const mandatory = defs.mandatoryElements.get(resource.resourceType) ?? new Set<string>();
  if (elements) return keep(resource, new Set([...elements, ...mandatory]));
  if (summary === 'true') return keep(resource, defs.summaryElements.get(resource.resourceType) ?? mandatory);
  if (summary === 'text') return keep(resource, new Set(['text', ...mandatory]));
  if (summary === 'data') {
    const { text: _text, ...rest } = resource as Resource & { text?: unknown };
    return keep(rest as Resource, new Set(Object.keys(rest)));
  }
  return resource;
}

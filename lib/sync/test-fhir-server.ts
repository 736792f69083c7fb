/**
 * A small in-memory FHIR server behind the sync Transport, for lib/sync tests only (the real
 * sandbox is for e2e). It keeps every version, answers read, search (`_id`, `patient`,
 * `identifier`, `_lastUpdated=ge`, `_count`/`_offset` paging), type and instance `_history`
 * with `_since` (newest first, deletions included), conditional create (If-None-Exist),
 * versioned update and delete (If-Match → 412), and `metadata`. Server time is its own clock,
 * deliberately far from the device clock in tests. Faults are injected per request.
 */
import type { Bundle, BundleEntry, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import type { Transport, TransportRequest, TransportResponse } from './ports';

/** Absolute base the fake server puts in paging links, as the proxy does. */
export const FAKE_BASE = 'https://app.test/api/l/L1/fhir';

interface Version {
  resource: Resource | null;
  versionId: string;
  lastUpdated: number;
  method: 'POST' | 'PUT' | 'DELETE';
}

/** How the fake server behaves. */
export interface FakeServerOptions {
  /** Serve no meta.versionId or ETag and ignore If-Match (as Epic often does). */
  versionless?: boolean;
  /** Interactions advertised in metadata. Default: history + _lastUpdated + search. */
  supports?: { history?: boolean; lastUpdated?: boolean };
  /** Honour If-None-Exist (default true). */
  conditionalCreate?: boolean;
  /** Server clock start (ms). */
  start?: number;
  /**
   * Order of search results without `_sort`: `insertion` (default) or `lastUpdated` (an edit
   * moves a resource to the end, shifting live `_offset` pages). `_sort=_id` is always honoured.
   */
  order?: 'insertion' | 'lastUpdated';
  /** Status for a stale If-Match: 412 (default, as the spec says) or 409 (as HAPI answers). */
  conflictStatus?: 409 | 412;
}

/** A fault: answer instead of the server, drop the connection before or after applying. */
export type Fault = TransportResponse | 'network' | 'apply-then-drop';

/** The fake server and its test controls. */
export interface FakeFhirServer {
  transport: Transport;
  log: TransportRequest[];
  /** Called after each search page is computed, before it is returned (to change the server between pages). */
  betweenPages(hook: ((query: URLSearchParams) => void) | undefined): void;
  /** Next requests matching `when` get `fault` (once each time added). */
  inject(when: (r: TransportRequest) => boolean, fault: Fault): void;
  seed(...resources: Resource[]): void;
  edit<T extends Resource>(type: string, id: string, change: (r: T) => T): T;
  remove(type: string, id: string): void;
  current(type: string, id: string): Resource | undefined;
  all(type: string): Resource[];
  tick(ms: number): void;
  clock(): number;
}

function outcome(status: number, code: string): TransportResponse {
  return { status, headers: {}, body: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', details: { coding: [{ system: 'urn:housecall:outcome', code }] } }] } };
}

/** A fresh server with an empty store. */
export function createFakeFhirServer(options: FakeServerOptions = {}): FakeFhirServer {
  const data = new Map<string, Version[]>();
  const faults: { when: (r: TransportRequest) => boolean; fault: Fault }[] = [];
  const log: TransportRequest[] = [];
  let now = options.start ?? Date.parse('2031-01-01T00:00:00Z');
  let nextId = 1;
  let onSearchPage: ((query: URLSearchParams) => void) | undefined;
  const iso = (ms: number) => new Date(ms).toISOString();
  const key = (type: string, id: string) => `${type}/${id}`;
  const latest = (type: string, id: string) => data.get(key(type, id))?.at(-1);

  function stamp(r: Resource, v: Version): Resource {
    const meta = { ...r.meta, lastUpdated: iso(v.lastUpdated), ...(options.versionless ? {} : { versionId: v.versionId }) };
    if (options.versionless) delete (meta as { versionId?: string }).versionId;
    return { ...r, meta } as Resource;
  }
  function write(type: string, id: string, resource: Resource | null, method: Version['method']): Version {
    now += 1_000;
    const versions = data.get(key(type, id)) ?? [];
    const v: Version = { resource: null, versionId: String(versions.length + 1), lastUpdated: now, method };
    v.resource = resource ? stamp({ ...resource, id } as Resource, v) : null;
    versions.push(v);
    data.set(key(type, id), versions);
    return v;
  }
  const etag = (v: Version): Record<string, string> => (options.versionless ? {} : { etag: `W/"${v.versionId}"` });
  const ok = (status: number, body: unknown, headers: Record<string, string> = {}): TransportResponse => ({ status, headers: { date: new Date(now).toUTCString(), ...headers }, body });

  function parse(url: string): { path: string[]; query: URLSearchParams } {
    const rel = url.startsWith(FAKE_BASE) ? url.slice(FAKE_BASE.length + 1) : url;
    const [p = '', q = ''] = rel.split('?');
    return { path: p.split('/').filter(Boolean), query: new URLSearchParams(q) };
  }
  function page(entries: BundleEntry[], type: Bundle['type'], path: string, query: URLSearchParams): Bundle {
    const count = Number(query.get('_count') ?? 50);
    const offset = Number(query.get('_offset') ?? 0);
    const link = [];
    if (offset + count < entries.length) {
      const q = new URLSearchParams(query);
      q.set('_offset', String(offset + count));
      q.set('_count', String(count));
      link.push({ relation: 'next', url: `${FAKE_BASE}/${path}?${q}` });
    }
    return { resourceType: 'Bundle', type, meta: { lastUpdated: iso(now) }, total: entries.length, link, entry: entries.slice(offset, offset + count) };
  }
  function matches(r: Resource, query: URLSearchParams): boolean {
    for (const [name, value] of query) {
      if (name === '_id' && r.id !== value) return false;
      if (name === 'patient') {
        const s = r as { subject?: { reference?: string }; patient?: { reference?: string } };
        if ((s.subject ?? s.patient)?.reference !== `Patient/${value}` && !(r.resourceType === 'Patient' && r.id === value)) return false;
      }
      if (name === 'identifier') {
        const [system, v] = value.split('|');
        if (!((r as { identifier?: { system?: string; value?: string }[] }).identifier ?? []).some((i) => i.system === system && i.value === v)) return false;
      }
      if (name === '_lastUpdated' && Date.parse(r.meta?.lastUpdated ?? '') < Date.parse(value.replace(/^ge/, ''))) return false;
    }
    return true;
  }
  function search(type: string, query: URLSearchParams): Resource[] {
    const out: Resource[] = [];
    for (const [k, versions] of data) {
      const v = versions.at(-1);
      if (k.startsWith(`${type}/`) && v?.resource && matches(v.resource, query)) out.push(v.resource);
    }
    if (query.get('_sort') === '_id') return out.sort((a, b) => (a.id! < b.id! ? -1 : a.id! > b.id! ? 1 : 0));
    if (options.order === 'lastUpdated') return out.sort((a, b) => Date.parse(a.meta!.lastUpdated!) - Date.parse(b.meta!.lastUpdated!));
    return out;
  }
  function history(type: string, id: string | undefined, since: number): BundleEntry[] {
    const out: (BundleEntry & { at: number })[] = [];
    for (const [k, versions] of data) {
      if (!k.startsWith(`${type}/`) || (id !== undefined && k !== key(type, id))) continue;
      const rid = k.slice(type.length + 1);
      for (const v of versions) {
        if (v.lastUpdated < since) continue;
        out.push({ at: v.lastUpdated, fullUrl: `${FAKE_BASE}/${k}`, ...(v.resource ? { resource: v.resource } : {}), request: { method: v.method, url: v.method === 'POST' ? type : `${type}/${rid}` } });
      }
    }
    return out.sort((a, b) => b.at - a.at).map(({ at: _at, ...e }) => e);
  }
  function ifMatchFails(request: TransportRequest, v: Version | undefined): boolean {
    const want = request.headers?.['if-match']?.match(/"([^"]*)"/)?.[1];
    return !options.versionless && want !== undefined && v !== undefined && want !== v.versionId;
  }

  function handle(request: TransportRequest): TransportResponse {
    const { path, query } = parse(request.url);
    const [type = '', id, hist] = path;
    if (request.method === 'GET') {
      if (type === 'metadata') return ok(200, capability());
      if (id === '_history') return ok(200, page(history(type, undefined, Date.parse(query.get('_since') ?? '1970-01-01')), 'history', `${type}/_history`, query));
      if (id && hist === '_history') return ok(200, page(history(type, id, Date.parse(query.get('_since') ?? '1970-01-01')), 'history', `${type}/${id}/_history`, query));
      if (id) {
        const v = latest(type, id);
        if (!v) return outcome(404, 'not-found');
        return v.resource ? ok(200, v.resource, etag(v)) : outcome(410, 'not-found');
      }
      const results = search(type, new URLSearchParams([...query].filter(([k]) => k !== '_count' && k !== '_offset')));
      onSearchPage?.(query);
      return ok(200, page(results.map((resource) => ({ fullUrl: `${FAKE_BASE}/${type}/${resource.id}`, resource, search: { mode: 'match' } })), 'searchset', type, query));
    }
    if (request.method === 'POST') {
      const condition = request.headers?.['if-none-exist'];
      if (condition && options.conditionalCreate !== false) {
        const found = search(type, new URLSearchParams(condition));
        if (found.length === 1) return ok(200, found[0]);
        if (found.length > 1) return outcome(412, 'multiple-matches');
      }
      const newId = `srv-${nextId++}`;
      const v = write(type, newId, request.body as Resource, 'POST');
      return ok(201, v.resource, { location: `${FAKE_BASE}/${type}/${newId}/_history/${v.versionId}`, ...etag(v) });
    }
    if (request.method === 'PUT' && id) {
      const v = latest(type, id);
      if (ifMatchFails(request, v)) return outcome(options.conflictStatus ?? 412, 'version-conflict');
      const nv = write(type, id, request.body as Resource, 'PUT');
      return ok(v ? 200 : 201, nv.resource, etag(nv));
    }
    if (request.method === 'DELETE' && id) {
      const v = latest(type, id);
      if (!v?.resource) return outcome(404, 'not-found');
      if (ifMatchFails(request, v)) return outcome(options.conflictStatus ?? 412, 'version-conflict');
      write(type, id, null, 'DELETE');
      return ok(204, undefined);
    }
    return outcome(400, 'invalid-path');
  }

  function capability(): CapabilityStatement {
    const s = { history: true, lastUpdated: true, ...options.supports };
    const types = ['Patient', 'Observation', 'AllergyIntolerance', 'DocumentReference', 'Condition', 'Medication'];
    return {
      resourceType: 'CapabilityStatement', status: 'active', date: iso(now), kind: 'instance', fhirVersion: '4.0.1', format: ['json'],
      rest: [{
        mode: 'server',
        resource: types.map((type) => ({
          type: type as 'Patient',
          versioning: options.versionless ? 'no-version' : 'versioned-update',
          interaction: [{ code: 'read' }, { code: 'search-type' }, { code: 'create' }, { code: 'update' }, ...(s.history ? [{ code: 'history-instance' as const }, { code: 'history-type' as const }] : [])] as { code: 'read' }[],
          searchParam: [{ name: 'patient', type: 'reference' }, ...(s.lastUpdated ? [{ name: '_lastUpdated', type: 'date' as const }] : [])] as { name: string; type: 'reference' }[],
        })),
      }],
    };
  }

  return {
    log,
    async transport(request) {
      log.push(request);
      const i = faults.findIndex((f) => f.when(request));
      const fault = i >= 0 ? faults.splice(i, 1)[0]!.fault : undefined;
      if (fault === 'network') throw new TypeError('Failed to fetch');
      if (fault === 'apply-then-drop') {
        handle(request);
        throw new TypeError('Failed to fetch');
      }
      if (fault) return fault;
      return structuredClone(handle(request));
    },
    inject: (when, fault) => void faults.push({ when, fault }),
    betweenPages: (hook) => void (onSearchPage = hook),
    seed(...resources) {
      for (const r of resources) write(r.resourceType, r.id!, r, 'POST');
    },
    edit<T extends Resource>(type: string, id: string, change: (r: T) => T): T {
      const v = latest(type, id);
      if (!v?.resource) throw new Error(`no ${type}/${id}`);
      return write(type, id, change(structuredClone(v.resource) as T), 'PUT').resource as T;
    },
    remove: (type, id) => void write(type, id, null, 'DELETE'),
    current: (type, id) => latest(type, id)?.resource ?? undefined,
    all: (type) => search(type, new URLSearchParams()),
    tick: (ms) => void (now += ms),
    clock: () => now,
  };
}

/**
 * MemoryRepository with counter versionIds, a change log and a faster search.
 *
 * Writes: every write the router makes (create, conditional create, update, delete) passes
 * through these overrides, so the log never misses a change (MemoryRepository.updateResource
 * strips meta and calls createResource, which lands here too).
 *
 * Search: MemoryRepository.search deep-clones every match before cutting the page and has no
 * index, so `patient=` over the 5,000-resource patient cost hundreds of milliseconds. This
 * override keeps the same semantics (Medplum's own matchesSearchRequest and the same sort
 * comparison) but narrows candidates through an index of `patient`/`subject` references and
 * clones only the page it returns.
 */
import type { SearchRequest } from '@medplum/core';
import { Operator, deepClone, evalFhirPath, getSearchParameters, matchesSearchRequest, splitSearchOnComma } from '@medplum/core';
import type { CreateResourceOptions } from '@medplum/fhir-router';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, Resource } from '@medplum/fhirtypes';
import type { ChangeLog } from './history';

/**
 * The Resource type as @medplum/fhir-router 4.5.2 declares it: it ships its own copy of
 * @medplum/fhirtypes (4.5.2) while the project uses 5.x. The two are the same FHIR R4 JSON;
 * conversions between them happen only in this file and in state.ts (callRouter).
 */
export type RouterResource = Parameters<MemoryRepository['createResource']>[0];
type RouterBundle = Awaited<ReturnType<MemoryRepository['search']>>;

/** Reference parameters indexed by the patient they point at. */
const INDEXED_PARAMS = ['patient', 'subject'] as const;

export class VersionedRepository extends MemoryRepository {
  /** Current (not deleted) resources per type, in insertion order. */
  private readonly current = new Map<string, Map<string, Resource>>();
  /** `Type|param|Patient/x` → ids. */
  private readonly patientIndex = new Map<string, Set<string>>();
  /** Lower-cased JSON of stored resources, computed on first use, for the pre-filter. */
  private readonly lowerJson = new WeakMap<Resource, string>();

  constructor(readonly log: ChangeLog) {
    super();
  }

  override async createResource<T extends RouterResource>(resource: T, _options?: CreateResourceOptions): Promise<T & { id: string }> {
    const id = resource.id ?? this.generateId();
    const method = this.log.exists(resource.resourceType, id) ? 'PUT' : 'POST';
    const versionId = this.log.nextVersion(resource.resourceType, id);
    const lastUpdated = this.log.stamp();
    const stored = await super.createResource<T>({ ...resource, id, meta: { ...resource.meta, versionId, lastUpdated } });
    const plain = stored as unknown as Resource & { id: string };
    this.log.record(method, plain, versionId, lastUpdated);
    this.unindex(plain.resourceType, id);
    this.index(plain);
    return stored;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    const last = this.log.latest(resourceType, id);
    await super.deleteResource(resourceType, id);
    this.unindex(resourceType, id);
    if (last) this.log.record('DELETE', last.resource as Resource & { id: string }, this.log.nextVersion(resourceType, id), this.log.stamp());
  }

  /** Loads a resource with its fixture id (seeding). */
  seed(resource: Resource): Promise<unknown> {
    return this.createResource(resource as unknown as RouterResource);
  }

  // The signature satisfies both copies of the FHIR types (the router's 4.5.2 and core's 5.x).
  override async search<T extends RouterResource & Resource>(searchRequest: SearchRequest<T>): Promise<RouterBundle & Bundle<T & { id: string }>> {
    const request = searchRequest as unknown as SearchRequest;
    const { candidates, remaining } = this.narrow(request);
    const needles = literalNeedles(request.resourceType, remaining ?? []);
    const matches: Resource[] = [];
    for (const resource of candidates) {
      if (needles.length && !this.mayMatch(resource, needles)) continue;
      if (matchesSearchRequest(resource, { ...request, filters: remaining })) matches.push(resource);
    }
    const sorted = sortResources(matches, request);
    const offset = request.offset ?? 0;
    const page = request.count === undefined ? sorted.slice(offset) : sorted.slice(offset, offset + request.count);
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: page.length ? page.map((resource) => ({ resource: deepClone(resource) })) : undefined,
      total: matches.length,
    };
    return bundle as unknown as RouterBundle & Bundle<T & { id: string }>;
  }

  /** Necessary condition: every group has one literal that occurs in the resource's JSON. */
  private mayMatch(resource: Resource, needles: string[][]): boolean {
    let text = this.lowerJson.get(resource);
    if (text === undefined) {
      text = JSON.stringify(resource).toLowerCase();
      this.lowerJson.set(resource, text);
    }
    const json = text;
    return needles.every((alternatives) => alternatives.some((n) => json.includes(n)));
  }

  private key(resourceType: string, param: string, ref: string): string {
    return `${resourceType}|${param}|${ref}`;
  }

  private patientRefs(resource: Resource, param: string): string[] {
    const expression = getSearchParameters(resource.resourceType)?.[param]?.expression;
    if (!expression) return [];
    const refs: string[] = [];
    for (const value of evalFhirPath(expression, resource)) {
      const ref = (value as { reference?: unknown } | undefined)?.reference;
      if (typeof ref === 'string' && ref.startsWith('Patient/')) refs.push(ref);
    }
    return refs;
  }

  private index(resource: Resource & { id: string }): void {
    let byId = this.current.get(resource.resourceType);
    if (!byId) this.current.set(resource.resourceType, (byId = new Map()));
    byId.set(resource.id, resource);
    for (const param of INDEXED_PARAMS) {
      for (const ref of this.patientRefs(resource, param)) {
        const k = this.key(resource.resourceType, param, ref);
        let ids = this.patientIndex.get(k);
        if (!ids) this.patientIndex.set(k, (ids = new Set()));
        ids.add(resource.id);
      }
    }
  }

  private unindex(resourceType: string, id: string): void {
    const existing = this.current.get(resourceType)?.get(id);
    if (!existing) return;
    this.current.get(resourceType)?.delete(id);
    for (const param of INDEXED_PARAMS) {
      for (const ref of this.patientRefs(existing, param)) this.patientIndex.get(this.key(resourceType, param, ref))?.delete(id);
    }
  }

  /** Candidates for a search and the filters still to evaluate (an indexed patient filter is answered by the index). */
  private narrow(request: SearchRequest): { candidates: Iterable<Resource>; remaining: SearchRequest['filters'] } {
    const byId = this.current.get(request.resourceType) ?? new Map<string, Resource>();
    const filters = request.filters ?? [];
    const indexed = filters.find(
      (f) =>
        (INDEXED_PARAMS as readonly string[]).includes(f.code) &&
        f.operator === Operator.EQUALS &&
        splitSearchOnComma(f.value).every((v) => v.startsWith('Patient/')),
    );
    if (!indexed) return { candidates: byId.values(), remaining: filters };
    const ids = new Set<string>();
    for (const ref of splitSearchOnComma(indexed.value)) {
      for (const id of this.patientIndex.get(this.key(request.resourceType, indexed.code, ref)) ?? []) ids.add(id);
    }
    // Keep insertion order, as MemoryRepository does.
    const candidates = ids.size === 0 ? [] : [...byId.values()].filter((r) => ids.has(r.id ?? ''));
    return { candidates, remaining: filters.filter((f) => f !== indexed) };
  }
}

/**
 * For plain (equals) token and reference filters, the literal strings one of which must occur
 * in a matching resource's JSON: a token's code (and system), a reference's `Type/id`. Matching
 * is case-insensitive, like Medplum's. Filters that could match without a literal (modifiers,
 * dates, strings, values JSON would escape) contribute nothing.
 */
function literalNeedles(resourceType: string, filters: NonNullable<SearchRequest['filters']>): string[][] {
  const groups: string[][] = [];
  for (const filter of filters) {
    if (filter.operator !== Operator.EQUALS) continue;
    const type = getSearchParameters(resourceType)?.[filter.code]?.type;
    if (type !== 'token' && type !== 'reference') continue;
    const group: string[] = [];
    for (const value of splitSearchOnComma(filter.value)) {
      const literal = (type === 'token' && value.includes('|') ? (value.split('|')[1] || value.split('|')[0]) : value) ?? '';
      if (!literal || /["\\]|[^\x20-\x7e]/.test(literal)) {
        group.length = 0;
        break;
      }
      group.push(literal.toLowerCase());
    }
    if (group.length) groups.push(group);
  }
  return groups;
}

/** Medplum's MemoryRepository ordering: each sort rule compares the JSON of its FHIRPath values; later rules re-sort. */
function sortResources(resources: Resource[], request: SearchRequest): Resource[] {
  let out = resources;
  for (const rule of request.sortRules ?? []) {
    const expression = getSearchParameters(request.resourceType)?.[rule.code]?.expression;
    if (!expression) continue;
    const keys = new Map(out.map((r) => [r, JSON.stringify(evalFhirPath(expression, r))]));
    const sign = rule.descending ? -1 : 1;
    out = [...out].sort((a, b) => (keys.get(a) ?? '').localeCompare(keys.get(b) ?? '') * sign);
  }
  return out;
}

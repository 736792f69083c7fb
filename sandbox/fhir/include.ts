/**
 * `_include` and `_revinclude` for any reference search parameter (the router ignores both).
 * `_include` evaluates the parameter's FHIRPath on each match and reads what it points at;
 * `_revinclude` searches the source type for references to the matches. `:iterate` repeats
 * over newly included resources, a few levels deep. Included resources the caller may not
 * see are left out silently.
 */
import { evalFhirPath, getSearchParameters } from '@medplum/core';
import type { Resource } from '@medplum/fhirtypes';
import type { IncludeSpec } from './search-params';
import type { ServerState } from './state';
import { callRouter } from './state';

const MAX_DEPTH = 3;

function key(r: Resource): string {
  return `${r.resourceType}/${r.id ?? ''}`;
}

function referencesOf(state: ServerState, resource: Resource, spec: IncludeSpec): string[] {
  const expression = getSearchParameters(spec.sourceType)?.[spec.param]?.expression;
  if (!expression) return [];
  const out: string[] = [];
  for (const value of evalFhirPath(expression, resource)) {
    const raw = (value as { reference?: unknown } | undefined)?.reference;
    if (typeof raw !== 'string') continue;
    let ref = raw;
    if (ref.startsWith(`${state.baseUrl}/`)) ref = ref.slice(state.baseUrl.length + 1);
    if (!/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) continue;
    if (spec.targetType && !ref.startsWith(`${spec.targetType}/`)) continue;
    out.push(ref);
  }
  return out;
}

async function forward(state: ServerState, frontier: Resource[], specs: IncludeSpec[], seen: Set<string>): Promise<Resource[]> {
  const found: Resource[] = [];
  for (const spec of specs) {
    for (const resource of frontier) {
      if (resource.resourceType !== spec.sourceType) continue;
      for (const ref of referencesOf(state, resource, spec)) {
        if (seen.has(ref)) continue;
        seen.add(ref);
        const [type = '', id = ''] = ref.split('/');
        if (!state.log.exists(type, id)) continue;
        const { resource: target } = await callRouter(state, 'GET', ref);
        if (target) found.push(target);
      }
    }
  }
  return found;
}

async function reverse(state: ServerState, frontier: Resource[], specs: IncludeSpec[], seen: Set<string>): Promise<Resource[]> {
  const found: Resource[] = [];
  for (const spec of specs) {
    const targets = (getSearchParameters(spec.sourceType)?.[spec.param]?.target ?? []) as string[];
    const refs = frontier
      .filter((r) => targets.includes(r.resourceType) && (!spec.targetType || r.resourceType === spec.targetType))
      .map(key);
    if (!refs.length) continue;
    const query = new URLSearchParams([[spec.param, refs.join(',')]]).toString();
    const { resource: bundle } = await callRouter(state, 'GET', `${spec.sourceType}?${query}`);
    for (const entry of (bundle as { entry?: { resource?: Resource }[] } | undefined)?.entry ?? []) {
      if (!entry.resource || seen.has(key(entry.resource))) continue;
      seen.add(key(entry.resource));
      found.push(entry.resource);
    }
  }
  return found;
}

/** Resources to add to a search Bundle with `search.mode = include`. */
export async function resolveIncludes(
  state: ServerState,
  matches: Resource[],
  include: IncludeSpec[],
  revinclude: IncludeSpec[],
  visible: (resource: Resource) => boolean,
): Promise<Resource[]> {
  if (!include.length && !revinclude.length) return [];
  const seen = new Set(matches.map(key));
  const included: Resource[] = [];
  let frontier = matches;
  for (let depth = 0; depth < MAX_DEPTH && frontier.length; depth++) {
    const inc = depth === 0 ? include : include.filter((s) => s.iterate);
    const rev = depth === 0 ? revinclude : revinclude.filter((s) => s.iterate);
    if (!inc.length && !rev.length) break;
    const next = [...(await forward(state, frontier, inc, seen)), ...(await reverse(state, frontier, rev, seen))].filter(visible);
    included.push(...next);
    frontier = next;
  }
  return included;
}

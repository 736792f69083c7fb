/**
 * Parses and checks a search query before it reaches the router, which silently returns
 * nothing for parameters it does not know. Unknown, chained or unsupported parameters and
 * malformed values are 400s; reference values are normalised (bare ids, absolute URLs under
 * the base, `:Type` modifiers) to the `Type/id` form the in-memory matcher needs.
 */
import { getSearchParameters, splitSearchOnComma } from '@medplum/core';
import type { SearchParameter } from '@medplum/fhirtypes';
import { badRequest, notSupported } from './outcome';

/** Parameter types the in-memory matcher evaluates; number, quantity, composite and special it cannot. */
export const MATCHABLE_TYPES: ReadonlySet<string> = new Set(['string', 'token', 'reference', 'date', 'uri']);
/** Meta parameters the server handles itself (not per-type search parameters). */
export const RESULT_PARAMS = ['_count', '_offset', '_sort', '_include', '_revinclude', '_summary', '_elements', '_total', '_format', '_pretty'] as const;
/** Base parameters that apply to every type. */
export const COMMON_PARAMS = ['_id', '_lastUpdated', '_tag', '_profile', '_security', '_source'] as const;

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 200;

const SUMMARY_VALUES = ['true', 'text', 'data', 'count', 'false'] as const;
const FORMAT_VALUES = ['json', 'application/json', 'application/fhir+json', 'application/json+fhir'];
const DATE_VALUE = /^(eq|ne|gt|lt|ge|le|sa|eb|ap)?\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

export interface IncludeSpec {
  sourceType: string;
  param: string;
  targetType?: string;
  iterate: boolean;
}

export interface ParsedSearch {
  /** Search parameters for the router, normalised. */
  filters: [string, string][];
  count: number;
  offset: number;
  sort?: string;
  include: IncludeSpec[];
  revinclude: IncludeSpec[];
  elements?: string[];
  summary?: (typeof SUMMARY_VALUES)[number];
  total?: 'none' | 'estimate' | 'accurate';
}

export interface SearchContext {
  baseUrl: string;
  isSupportedType: (resourceType: string) => boolean;
  /** Expands a bare id for a reference parameter to `Type/id` values (the types that have it). */
  resolveBareId: (targets: readonly string[], id: string) => string[];
}

/** A search parameter of the type that the in-memory matcher can evaluate, or undefined. */
export function matchableParam(resourceType: string, code: string): SearchParameter | undefined {
  const param = getSearchParameters(resourceType)?.[code];
  return param && MATCHABLE_TYPES.has(param.type ?? '') && code !== '_compartment' ? param : undefined;
}

function nonNegativeInt(name: string, value: string): number {
  if (!/^\d{1,9}$/.test(value)) throw badRequest(`${name} must be a non-negative integer, got '${value}'`);
  return Number(value);
}

function normaliseReference(value: string, param: SearchParameter, typeModifier: string | undefined, ctx: SearchContext): string {
  let v = value.startsWith(`${ctx.baseUrl}/`) ? value.slice(ctx.baseUrl.length + 1) : value;
  const history = v.indexOf('/_history/');
  if (history > 0) v = v.slice(0, history);
  if (v.includes('/') || v.includes(':')) return v;
  return ctx.resolveBareId(typeModifier ? [typeModifier] : (param.target ?? []), v).join(',');
}

function parseInclude(kind: '_include' | '_revinclude', value: string, modifier: string, resourceType: string, ctx: SearchContext): IncludeSpec {
  if (modifier && modifier !== 'iterate') throw notSupported(`${kind}:${modifier} is not supported`);
  const [sourceType = '', param = '', targetType, extra] = value.split(':');
  if (extra !== undefined || param === '*' || !sourceType || !param) throw notSupported(`${kind}=${value} is not supported; use Type:param[:Target]`);
  if (!ctx.isSupportedType(sourceType)) throw notSupported(`${kind}=${value}: unknown resource type ${sourceType}`);
  const definition = getSearchParameters(sourceType)?.[param];
  if (definition?.type !== 'reference') throw notSupported(`${kind}=${value}: ${param} is not a reference parameter of ${sourceType}`);
  if (targetType && !(definition.target ?? []).includes(targetType as never)) throw badRequest(`${kind}=${value}: ${param} cannot point at ${targetType}`);
  if (kind === '_include' && sourceType !== resourceType && modifier !== 'iterate') {
    throw badRequest(`_include=${value} must start with ${resourceType} (or use _include:iterate)`);
  }
  if (kind === '_revinclude' && !(definition.target ?? []).includes(resourceType as never) && modifier !== 'iterate') {
    throw badRequest(`_revinclude=${value}: ${param} does not point at ${resourceType}`);
  }
  return { sourceType, param, ...(targetType ? { targetType } : {}), iterate: modifier === 'iterate' };
}

function parseResultParam(out: ParsedSearch, code: string, modifier: string, value: string, resourceType: string, ctx: SearchContext): void {
  switch (code) {
    case '_count':
      out.count = Math.min(nonNegativeInt('_count', value), MAX_COUNT);
      return;
    case '_offset':
      out.offset = nonNegativeInt('_offset', value);
      return;
    case '_sort':
      for (const field of value.split(',')) {
        const name = field.startsWith('-') ? field.slice(1) : field;
        if (!matchableParam(resourceType, name)) throw notSupported(`Cannot sort ${resourceType} by '${name}'`);
      }
      out.sort = value;
      return;
    case '_include':
    case '_revinclude':
      (code === '_include' ? out.include : out.revinclude).push(parseInclude(code, value, modifier, resourceType, ctx));
      return;
    case '_summary':
      if (!(SUMMARY_VALUES as readonly string[]).includes(value)) throw badRequest(`_summary must be one of ${SUMMARY_VALUES.join(', ')}`);
      out.summary = value as ParsedSearch['summary'];
      return;
    case '_elements':
      if (!/^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$/.test(value)) throw badRequest('_elements must be a comma-separated list of element names');
      out.elements = value.split(',');
      return;
    case '_total':
      if (value !== 'none' && value !== 'estimate' && value !== 'accurate') throw badRequest('_total must be none, estimate or accurate');
      out.total = value;
      return;
    case '_format':
      if (!FORMAT_VALUES.includes(value)) throw notSupported(`_format=${value} is not supported; this server speaks JSON only`);
      return;
    case '_pretty':
      return;
  }
}

function parseFilter(resourceType: string, key: string, code: string, modifier: string, value: string, ctx: SearchContext): [string, string] {
  const param = matchableParam(resourceType, code);
  if (!param) {
    const known = getSearchParameters(resourceType)?.[code];
    throw notSupported(known ? `Search parameter '${code}' (${known.type}) is not supported` : `Unknown search parameter '${code}' for ${resourceType}`);
  }
  if (modifier === 'missing') {
    if (value !== 'true' && value !== 'false') throw badRequest(`${key} must be true or false`);
    return [key, value];
  }
  const values = splitSearchOnComma(value);
  if (values.some((v) => v === '')) throw badRequest(`Empty value for search parameter '${key}'`);
  switch (param.type) {
    case 'reference': {
      const typeModifier = modifier || undefined;
      if (typeModifier && !(param.target ?? []).includes(typeModifier as never)) throw notSupported(`Modifier ':${modifier}' is not supported on '${code}'`);
      return [code, values.map((v) => normaliseReference(v, param, typeModifier, ctx)).join(',')];
    }
    case 'date':
      if (modifier) throw notSupported(`Modifier ':${modifier}' is not supported on '${code}'`);
      for (const v of values) if (!DATE_VALUE.test(v)) throw badRequest(`Invalid date value '${v}' for '${code}'`);
      return [key, value];
    case 'token':
      if (modifier && modifier !== 'not') throw notSupported(`Modifier ':${modifier}' is not supported on '${code}'`);
      return [key, value];
    case 'string':
      if (modifier && modifier !== 'contains') throw notSupported(`Modifier ':${modifier}' is not supported on '${code}'`);
      return [key, value];
    default:
      if (modifier) throw notSupported(`Modifier ':${modifier}' is not supported on '${code}'`);
      return [key, value];
  }
}

/** Checks and normalises a search query for `resourceType`. Throws a 400 FhirError when it cannot be honoured. */
export function parseSearch(resourceType: string, entries: readonly [string, string][], ctx: SearchContext): ParsedSearch {
  const out: ParsedSearch = { filters: [], count: DEFAULT_COUNT, offset: 0, include: [], revinclude: [] };
  for (const [key, value] of entries) {
    const colon = key.indexOf(':');
    const code = colon >= 0 ? key.slice(0, colon) : key;
    const modifier = colon >= 0 ? key.slice(colon + 1) : '';
    if (code === '_has' || key.includes('.')) throw notSupported(`Chained and reverse-chained search ('${key}') is not supported`);
    if ((RESULT_PARAMS as readonly string[]).includes(code)) parseResultParam(out, code, modifier, value, resourceType, ctx);
    else out.filters.push(parseFilter(resourceType, key, code, modifier, value, ctx));
  }
  if (out.summary === 'count') out.count = 0;
  return out;
}

/** The query that reproduces a parsed search (without paging), for Bundle links. */
export function searchQuery(parsed: ParsedSearch): [string, string][] {
  const q: [string, string][] = [...parsed.filters];
  if (parsed.sort) q.push(['_sort', parsed.sort]);
  const inc = (s: IncludeSpec): string => [s.sourceType, s.param, ...(s.targetType ? [s.targetType] : [])].join(':');
  for (const s of parsed.include) q.push([s.iterate ? '_include:iterate' : '_include', inc(s)]);
  for (const s of parsed.revinclude) q.push([s.iterate ? '_revinclude:iterate' : '_revinclude', inc(s)]);
  if (parsed.elements) q.push(['_elements', parsed.elements.join(',')]);
  if (parsed.summary) q.push(['_summary', parsed.summary]);
  if (parsed.total) q.push(['_total', parsed.total]);
  return q;
}

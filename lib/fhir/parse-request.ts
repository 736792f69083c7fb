import { CONTEXT_TYPES, isKnownType, PATIENT_TYPES } from './compartment';
import { ProxyError } from './outcome';
import { ALLOWED_MODIFIERS, canonicalSearchParam, PATIENT_PARAMS } from './search-params';

export type Interaction = 'read' | 'vread' | 'search' | 'history-instance' | 'create' | 'update' | 'delete';

export interface ParsedFhirRequest {
  interaction: Interaction;
  resourceType: string;
  id?: string;
  versionId?: string;
  query: URLSearchParams;
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const TYPE = /^[A-Z][A-Za-z]{1,63}$/;
/**
 * Result parameters the proxy passes through, with the values each may take (undefined: any).
 * Anything starting with `_` not listed is refused. `_offset` is how the EHR's own `next` links
 * page (they come back rewritten to the proxy). `_elements` and `_summary` other than `count`
 * are refused: they let the EHR leave out what consent judges on (meta.security, dates, codes).
 */
const RESULT_PARAMS: Record<string, readonly string[] | undefined> = {
  _count: undefined, _offset: undefined, _sort: undefined, _include: undefined, _summary: ['count', 'false'], _total: ['none', 'estimate', 'accurate'], _since: undefined,
};
/** `_include` values the chart needs; each pulls in only shared resources. */
export const ALLOWED_INCLUDES = new Set(['MedicationRequest:medication', 'MedicationStatement:medication', 'Observation:performer']);

/**
 * Normalises a query before any allowlist sees it: names lose surrounding spaces, take their
 * canonical case (`PATIENT` is `patient`), must be defined for the type (search-params.ts) and
 * carry only narrowing modifiers; a name still percent-encoded after the one decoding
 * URLSearchParams did is refused, as is anything chained or reverse-chained. The result is the
 * query the proxy forwards, so the compartment pin judges exactly what the EHR will see.
 */
function normaliseQuery(type: string, query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const [raw, value] of query) {
    const name = raw.trim();
    if (name === '' || /%[0-9a-f]{2}/i.test(name) || /\s/.test(name)) throw new ProxyError('invalid-parameter', 'malformed parameter name');
    if (name.includes('.') || name.toLowerCase().startsWith('_has') || name.toLowerCase() === '_revinclude') throw new ProxyError('invalid-parameter', name);
    const [base = '', modifier, ...more] = name.split(':');
    if (more.length > 0) throw new ProxyError('invalid-parameter', name);
    const lower = base.toLowerCase();
    const result = Object.keys(RESULT_PARAMS).find((p) => p.toLowerCase() === lower);
    if (result) {
      if (modifier !== undefined) throw new ProxyError('invalid-parameter', name);
      const values = RESULT_PARAMS[result];
      if (values && !values.includes(value.trim())) throw new ProxyError('invalid-parameter', `${result}=${value}`);
      if (result === '_include' && !ALLOWED_INCLUDES.has(value)) throw new ProxyError('invalid-parameter', `_include=${value}`);
      out.append(result, value.trim());
      continue;
    }
    const canonical = canonicalSearchParam(type, base);
    if (!canonical) throw new ProxyError('invalid-parameter', base);
    if (modifier !== undefined && (PATIENT_PARAMS.has(canonical) || canonical === '_id' || !ALLOWED_MODIFIERS.has(modifier.toLowerCase()))) throw new ProxyError('invalid-parameter', name);
    // Absolute URLs would let a reference parameter point outside the EHR; a token's
    // `system|code` (e.g. http://loinc.org|2160-0) is not a reference and may pass.
    if (value.split(',').some((v) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !v.includes('|'))) throw new ProxyError('invalid-parameter', canonical);
    out.append(modifier === undefined ? canonical : `${canonical}:${modifier.toLowerCase()}`, value);
  }
  return out;
}

/** The only conditional create Housecall makes: on the idempotency identifier its sync engine stamps (lib/sync/upload.ts). */
const IF_NONE_EXIST = /^identifier=urn:housecall:idempotency\|[A-Za-z0-9\-._~]{1,200}$/;

/**
 * An `If-None-Exist` header, parsed as a search of `type`: only `identifier=urn:housecall:
 * idempotency|{key}` is accepted (any other criteria could ask the EHR whether another patient
 * has a match), and the result goes through the same normalisation as a search, so the caller
 * can pin it to the launch patient before it is forwarded.
 */
export function parseIfNoneExist(type: string, header: string | null): URLSearchParams | null {
  if (header === null) return null;
  const text = header.trim();
  if (!IF_NONE_EXIST.test(text)) throw new ProxyError('invalid-parameter', 'If-None-Exist');
  return normaliseQuery(type, new URLSearchParams([['identifier', text.slice('identifier='.length)]]));
}

function id(value: string | undefined): string {
  if (value === undefined || !FHIR_ID.test(value)) throw new ProxyError('invalid-id');
  return value;
}

/**
 * Step one of the proxy pipeline: turn a method, path segments and query into one of a closed
 * set of FHIR interactions, or refuse. No absolute URLs, no `..`, no chained or reverse-chained
 * parameters, no `_revinclude`, no type the compartment table does not know.
 */
export function parseFhirRequest(method: string, segments: string[], query: URLSearchParams): ParsedFhirRequest {
  for (const s of segments) {
    if (s === '' || s === '.' || s === '..' || s.includes('/') || s.includes('\\') || s.includes(':')) throw new ProxyError('invalid-path');
  }
  const [type, second, third, fourth, ...rest] = segments;
  if (!type || rest.length > 0) throw new ProxyError('invalid-path');
  if (!TYPE.test(type)) throw new ProxyError('invalid-path');
  if (!isKnownType(type)) throw new ProxyError('unknown-resource-type');
  if (CONTEXT_TYPES.has(type)) {
    // Document content: a plain read by id, nothing else (no search, history or parameters).
    if (method.toUpperCase() !== 'GET' || second === undefined || third !== undefined) throw new ProxyError('method-not-allowed');
    if ([...query].length > 0) throw new ProxyError('invalid-parameter', 'Binary takes no parameters');
    return { interaction: 'read', resourceType: type, id: id(second), query: new URLSearchParams() };
  }

  query = normaliseQuery(type, query);

  const m = method.toUpperCase();
  if (m === 'GET') {
    if (second === undefined) return { interaction: 'search', resourceType: type, query };
    if (second === '_history') throw new ProxyError('invalid-path');
    if (third === undefined) return { interaction: 'read', resourceType: type, id: id(second), query };
    if (third === '_history' && fourth === undefined) return { interaction: 'history-instance', resourceType: type, id: id(second), query };
    if (third === '_history') return { interaction: 'vread', resourceType: type, id: id(second), versionId: id(fourth), query };
    throw new ProxyError('invalid-path');
  }
  if (m === 'POST' && second === undefined) {
    if (!(type in PATIENT_TYPES)) throw new ProxyError('method-not-allowed');
    return { interaction: 'create', resourceType: type, query };
  }
  if ((m === 'PUT' || m === 'DELETE') && second !== undefined && third === undefined) {
    if (!(type in PATIENT_TYPES)) throw new ProxyError('method-not-allowed');
    return { interaction: m === 'PUT' ? 'update' : 'delete', resourceType: type, id: id(second), query };
  }
  throw new ProxyError('method-not-allowed');
}

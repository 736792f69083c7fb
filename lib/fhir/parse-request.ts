import { isKnownType, PATIENT_TYPES } from './compartment';
import { ProxyError } from './outcome';

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
 * Result parameters the proxy passes through. Anything starting with `_` not listed is refused.
 * `_offset` is how the EHR's own `next` links page (they come back rewritten to the proxy).
 */
const RESULT_PARAMS = new Set(['_count', '_offset', '_sort', '_include', '_summary', '_elements', '_total', '_id', '_lastUpdated', '_since']);
/** `_include` values the chart needs; each pulls in only shared resources. */
export const ALLOWED_INCLUDES = new Set(['MedicationRequest:medication', 'MedicationStatement:medication', 'Observation:performer']);

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

  for (const [name, value] of query) {
    if (name.includes('.') || name.startsWith('_has') || name === '_revinclude' || name === '_format' || name === '_query' || name === '_filter') {
      throw new ProxyError('invalid-parameter', name);
    }
    if (name.startsWith('_') && !RESULT_PARAMS.has(name)) throw new ProxyError('invalid-parameter', name);
    if (name === '_include' && !ALLOWED_INCLUDES.has(value)) throw new ProxyError('invalid-parameter', `_include=${value}`);
    // Absolute URLs would let a reference parameter point outside the EHR; a token's
    // `system|code` (e.g. http://loinc.org|2160-0) is not a reference and may pass.
    if (value.split(',').some((v) => /^[a-z][a-z0-9+.-]*:\/\//i.test(v) && !v.includes('|'))) throw new ProxyError('invalid-parameter', name);
  }

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

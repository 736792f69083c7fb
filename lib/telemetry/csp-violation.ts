/**
 * CSP violation reports, reduced to what is safe to keep: which directive refused, and the
 * origin (or keyword) of what it refused. A blocked URL's path and query may name a patient or
 * a launch, and a report's sample may quote page text, so neither is ever kept or logged.
 */
const DIRECTIVES = new Set([
  'default-src', 'script-src', 'script-src-elem', 'script-src-attr', 'style-src', 'style-src-elem', 'style-src-attr', 'img-src', 'font-src',
  'connect-src', 'media-src', 'object-src', 'frame-src', 'child-src', 'worker-src', 'manifest-src', 'frame-ancestors', 'form-action', 'base-uri',
  'trusted-types', 'require-trusted-types-for',
]);
const KEYWORDS = new Set(['inline', 'eval', 'wasm-eval', 'trusted-types-policy', 'trusted-types-sink', 'self', 'data', 'blob']);

/** A known directive name, or `other` (metric labels stay a closed set). */
export function directiveLabel(directive: string): string {
  const d = directive.trim().toLowerCase();
  return DIRECTIVES.has(d) ? d : 'other';
}

/** The blocked resource as an origin or a keyword (`inline`, `eval`, `data`…); never a path or query. */
export function blockedSource(blocked: string): string {
  const b = blocked.trim().toLowerCase();
  if (KEYWORDS.has(b)) return b;
  if (b === '') return 'none';
  let url: URL;
  try {
    url = new URL(blocked);
  } catch {
    return 'other';
  }
  if (url.protocol === 'data:' || url.protocol === 'blob:') return url.protocol.slice(0, -1);
  return url.origin === 'null' ? 'other' : url.origin;
}

/** A low-cardinality kind for the metric label: the keyword, or `self`/`external` for URLs. */
export function blockedKind(source: string, ownOrigin: string): string {
  if (source.startsWith('http://') || source.startsWith('https://')) return source === ownOrigin ? 'self' : 'external';
  return KEYWORDS.has(source) || source === 'none' ? source : 'other';
}

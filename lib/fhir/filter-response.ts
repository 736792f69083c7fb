import type { Bundle, Resource } from '@medplum/fhirtypes';
import { inCompartment } from './compartment';
import { ProxyError } from './outcome';
import type { ParsedFhirRequest } from './parse-request';

/**
 * Rewrites an EHR URL under `fhirBase` to the same path under the proxy; anything on another
 * origin or outside the base becomes undefined and is dropped.
 */
export function rewriteUrl(url: string | undefined, fhirBase: string, proxyBase: string): string | undefined {
  if (!url) return undefined;
  const base = fhirBase.replace(/\/+$/, '');
  if (url !== base && !url.startsWith(`${base}/`) && !url.startsWith(`${base}?`)) return undefined;
  return proxyBase + url.slice(base.length);
}

function isSearchOutcome(e: NonNullable<Bundle['entry']>[number]): boolean {
  return e.resource?.resourceType === 'OperationOutcome' && e.search?.mode === 'outcome';
}

/**
 * Step five of the pipeline. A read outside the launch's compartment looks exactly like a
 * missing resource; search results outside it are removed (defence in depth: the search was
 * already pinned to the patient), and paging links point back at the proxy.
 */
export function filterResponse(req: ParsedFhirRequest, body: unknown, ctx: { patientId: string | null; fhirBase: string; proxyBase: string }): unknown {
  if (!body || typeof body !== 'object') return body;
  const resource = body as Resource;
  if (resource.resourceType === 'OperationOutcome') return body;
  if (resource.resourceType === 'Bundle') {
    const bundle = resource as Bundle;
    // The EHR's word on the search itself (an OperationOutcome entry, `search.mode: outcome`:
    // "some results were left out") is kept: without it a list the EHR cut short reads as whole.
    const entries = (bundle.entry ?? []).filter((e) => !e.resource || !ctx.patientId || isSearchOutcome(e) || inCompartment(e.resource, ctx.patientId, ctx.fhirBase));
    const removed = (bundle.entry?.length ?? 0) - entries.length;
    return {
      ...bundle,
      ...(removed > 0 && typeof bundle.total === 'number' ? { total: bundle.total - removed } : {}),
      link: (bundle.link ?? []).flatMap((l) => {
        const url = rewriteUrl(l.url, ctx.fhirBase, ctx.proxyBase);
        return url ? [{ ...l, url }] : [];
      }),
      entry: entries.map((e) => {
        const { fullUrl, ...rest } = e;
        const rewritten = rewriteUrl(fullUrl, ctx.fhirBase, ctx.proxyBase);
        return rewritten ? { ...rest, fullUrl: rewritten } : rest;
      }),
    } satisfies Bundle;
  }
  if (ctx.patientId && req.interaction !== 'search' && !inCompartment(resource, ctx.patientId, ctx.fhirBase)) throw new ProxyError('not-found');
  return body;
}

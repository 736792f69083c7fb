import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { Bundle } from '@medplum/fhirtypes';
import { HOUSECALL_URL } from '../../scripts/env';

/** How many versions the EHR holds of the patient (its instance `_history` total), read through the proxy. */
export async function versionCount(request: APIRequestContext, launchId: string, patientId: string): Promise<number> {
  const res = await request.get(`${HOUSECALL_URL}/api/l/${launchId}/fhir/Patient/${patientId}/_history`);
  expect(res.status()).toBe(200);
  const bundle = (await res.json()) as Bundle;
  expect(typeof bundle.total).toBe('number');
  return bundle.total!;
}

/** One write the browser sent to the proxy: when it left, and how it ended (status, or `failed`). */
export interface SentWrite {
  method: string;
  at: number;
  status?: number;
  failed?: true;
}

/**
 * Records every write (PUT, POST, DELETE) the page sends to Housecall's FHIR proxy, with the
 * time it left and its status: what the sync engine actually put on the wire.
 */
export function recordWrites(page: Page): SentWrite[] {
  const writes: SentWrite[] = [];
  const byRequest = new Map<unknown, SentWrite>();
  const isWrite = (method: string, url: string) => method !== 'GET' && /\/api\/l\/[^/]+\/fhir\//.test(url);
  page.on('request', (req) => {
    if (!isWrite(req.method(), req.url())) return;
    const sent: SentWrite = { method: req.method(), at: Date.now() };
    writes.push(sent);
    byRequest.set(req, sent);
  });
  page.on('response', (res) => {
    const sent = byRequest.get(res.request());
    if (sent) sent.status = res.status();
  });
  page.on('requestfailed', (req) => {
    const sent = byRequest.get(req);
    if (sent) sent.failed = true;
  });
  return writes;
}

/** Every FHIR proxy request (reads included) the page sends, by method, for "who synced" checks. */
export function recordProxyRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (req) => {
    if (/\/api\/l\/[^/]+\/fhir\//.test(req.url())) seen.push(req.method());
  });
  return seen;
}

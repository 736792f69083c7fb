import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { Bundle } from '@medplum/fhirtypes';
import { HOUSECALL_URL } from '../../scripts/env';
import { ContactDetails } from './contact-details';

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

/** One request to the FHIR proxy: method, when it left and when its answer (or failure) came. */
export interface ProxyCall {
  method: string;
  /** Path and query after the proxy's FHIR base (`Patient/pat-011`, `Observation?patient=…`). */
  path: string;
  at: number;
  doneAt?: number;
  /** The proxy's answer, once it came. */
  status?: number;
}

/** Every FHIR proxy request (reads included) the page sends, for "which tab synced, and when" checks. */
export function recordProxyCalls(page: Page): ProxyCall[] {
  const calls: ProxyCall[] = [];
  const byRequest = new Map<unknown, ProxyCall>();
  page.on('request', (req) => {
    if (!/\/api\/l\/[^/]+\/fhir\//.test(req.url())) return;
    const call: ProxyCall = { method: req.method(), path: req.url().replace(/^.*\/api\/l\/[^/]+\/fhir\//, ''), at: Date.now() };
    calls.push(call);
    byRequest.set(req, call);
  });
  const done = (req: unknown) => {
    const call = byRequest.get(req);
    if (call) call.doneAt = Date.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  page.on('response', (res) => {
    const call = byRequest.get(res.request());
    if (call) call.status = res.status();
  });
  return calls;
}

/** The contact page of an existing launch in another tab of the same browser (same session cookie). */
export async function openContactIn(page: Page, launchId: string, patientId: string, awaiting: 'contact-phone' | 'contact-unavailable' = 'contact-phone'): Promise<ContactDetails> {
  const contact = new ContactDetails(page, patientId);
  contact.launchId = launchId;
  await page.goto(`/l/${launchId}/portal/contact`);
  if (awaiting === 'contact-phone') await expect(page.getByTestId('contact-phone')).not.toHaveValue('');
  else await expect(page.getByTestId(awaiting)).toBeVisible();
  return contact;
}

/**
 * Records every sentence the sync indicator shows in this page, from its first render, in
 * order (a MutationObserver installed before any script runs), so a test can check what the
 * person was told even when it showed only for a moment.
 */
export async function recordIndicator(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __hcIndicator: string[] }).__hcIndicator = seen;
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="sync-indicator"]')?.textContent ?? '';
      if (text && text !== seen.at(-1)) seen.push(text);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __hcIndicator: string[] }).__hcIndicator);
}

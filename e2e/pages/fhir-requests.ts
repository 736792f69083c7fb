import { expect, type Page } from '@playwright/test';
import { HOUSECALL_URL } from '../../scripts/env';

/**
 * Records the FHIR requests the page and its frames send through Housecall's proxy (the path
 * below `/fhir/`), so a test can say what the browser asked of the EHR, and wait until it has
 * asked nothing for a while.
 */
export function recordFhirRequests(page: Page): { asked: string[]; quiet(ms?: number): Promise<void> } {
  const asked: string[] = [];
  let lastAskedAt = Date.now();
  page.on('request', (r) => {
    const at = r.url().indexOf('/fhir/');
    if (r.url().startsWith(`${HOUSECALL_URL}/api/l/`) && at > 0) {
      asked.push(decodeURIComponent(r.url().slice(at + '/fhir/'.length)));
      lastAskedAt = Date.now();
    }
  });
  return {
    asked,
    async quiet(ms = 1_000) {
      await expect.poll(() => Date.now() - lastAskedAt, { timeout: 15_000 }).toBeGreaterThan(ms);
    },
  };
}

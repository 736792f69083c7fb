import { expect, type APIRequestContext, type BrowserContext, type Locator, type Page, type Response } from '@playwright/test';
import type { AllergyIntolerance, Bundle, DocumentReference } from '@medplum/fhirtypes';
import { SANDBOX_ORIGIN } from '../../scripts/env';
import { ChartDetail } from './chart-detail';
import { ChartView } from './chart-view';
import { EhrPage } from './ehr-page';
import { problemsWithin } from './accessibility';

const PHONE = { width: 360, height: 780 };

/**
 * Resolves once these chart views have been prefetched into the router cache (ChartPrefetch
 * fetches every view shortly after the first screen). Arm it before the chart loads; frames
 * included.
 */
export function viewsPrefetched(page: Page, views: readonly string[] = ['allergies', 'encounters', 'immunizations', 'note']): Promise<void> {
  const waiting = new Set(views);
  return new Promise((resolve) => {
    const seen = (r: Response) => {
      const view = /\/l\/[^/]+\/chart\/([a-z-]+)$/.exec(new URL(r.url()).pathname)?.[1];
      if (view && r.status() === 200 && waiting.delete(view) && waiting.size === 0) {
        page.off('response', seen);
        resolve();
      }
    };
    page.on('response', seen);
  });
}

/**
 * Housecall's chart in a top-level window of its own (the EHR's "open in a new window"), where
 * IndexedDB works, with what the offline tests need: the sync indicator, the offline notices,
 * the note's save and sign, allergy comments, and the EHR's copy read through the proxy.
 */
export class ClinicianWindow {
  launchId = '';
  private constructor(readonly page: Page, readonly ehr: Page) {}

  /** Launches from the EHR page, then opens the same launch in its own window. */
  static async open(context: BrowserContext, practitionerId: string, patientId: string): Promise<ClinicianWindow> {
    const ehrPage = await context.newPage();
    const ehr = new EhrPage(ehrPage);
    await ehr.launch(practitionerId, patientId);
    await ehr.chart().settled();
    const launchUrl = await ehrPage.getByTestId('ehr-frame').getAttribute('src');
    await ehrPage.close(); // the framed copy has no IndexedDB; only the own window matters here
    const page = await context.newPage();
    await page.setViewportSize(PHONE);
    const prefetched = viewsPrefetched(page);
    await page.goto(launchUrl!);
    const own = new ClinicianWindow(page, ehrPage);
    await own.chart.settled();
    await prefetched;
    own.launchId = new URL(page.url()).pathname.split('/')[2]!;
    await expect(own.indicator()).toHaveText('All changes saved');
    return own;
  }

  get chart(): ChartView {
    return new ChartView(this.page);
  }

  get detail(): ChartDetail {
    return new ChartDetail(this.page);
  }

  indicator(): Locator {
    return this.page.getByTestId('sync-indicator');
  }

  /** Freshness lines that say the view is the device's saved copy. */
  offlineNotices(scope: Locator | Page = this.page): Locator {
    return scope.locator('[data-testid="fetched-at"][data-offline="yes"]');
  }

  /** Serious or critical axe findings and interactive elements under 44 × 44 px inside `testId` and the sync indicator. */
  async accessibilityProblems(testId: string): Promise<string[]> {
    return problemsWithin(this.page, [`[data-testid="${testId}"]`, '[data-sync-state]']);
  }

  noteSend(): Locator {
    return this.page.getByTestId('note-send');
  }

  /** Back on the summary (client navigation): its allergies card has answered. */
  async backToSummary(): Promise<void> {
    await this.detail.back().click();
    await expect(this.chart.section('allergies').getByTestId('fetched-at')).toBeVisible();
  }

  /** GET through the proxy from inside the window (its session cookie is partitioned: an API request context does not carry it). */
  private async proxyGet<T>(path: string): Promise<T> {
    const { status, body } = await this.page.evaluate(async (url) => {
      const res = await fetch(url, { headers: { accept: 'application/fhir+json' }, cache: 'no-store' });
      return { status: res.status, body: await res.json() };
    }, `/api/l/${this.launchId}/fhir/${path}`);
    expect(status).toBe(200);
    return body as T;
  }

  /** Every DocumentReference of the patient whose text is `text`, as the EHR has them now (read through the proxy). */
  async notesWithText(text: string): Promise<DocumentReference[]> {
    const bundle = await this.proxyGet<Bundle<DocumentReference>>('DocumentReference?_sort=-date&_count=50');
    return (bundle.entry ?? []).map((e) => e.resource!).filter((d) => d.content?.some((c) => c.attachment?.data && Buffer.from(c.attachment.data, 'base64').toString('utf8') === text));
  }

  async allergy(id: string): Promise<AllergyIntolerance> {
    return this.proxyGet<AllergyIntolerance>(`AllergyIntolerance/${encodeURIComponent(id)}`);
  }

  /** Changes a resource in the sandbox behind Housecall's back: a new version. */
  async editBehindTheBack(request: APIRequestContext, resourceType: string, id: string, set: Record<string, unknown>): Promise<void> {
    const res = await request.post(`${SANDBOX_ORIGIN}/_fhir-edit`, { data: { resourceType, id, set } });
    expect(res.status()).toBe(200);
  }

  /** Changes the allergy in the sandbox behind Housecall's back: a new version. */
  async editAllergyBehindTheBack(request: APIRequestContext, id: string, set: Partial<AllergyIntolerance>): Promise<void> {
    const res = await request.post(`${SANDBOX_ORIGIN}/_fhir-edit`, { data: { resourceType: 'AllergyIntolerance', id, set } });
    expect(res.status()).toBe(200);
  }
}

import type { Locator, Page } from '@playwright/test';

/** The patient's portal home, results and one test's explanation (top-level pages, phone first). */
export class PortalHome {
  constructor(readonly page: Page) {}

  attention(): Locator {
    return this.page.getByTestId('portal-attention');
  }

  attentionItems(kind?: string): Locator {
    const items = this.attention().getByTestId('attention-item');
    return kind ? items.and(this.page.locator(`[data-kind="${kind}"]`)) : items;
  }

  /** Resolves once every attention source has answered. */
  async attentionSettled(): Promise<void> {
    await this.attention().getByRole('status').waitFor({ state: 'detached' });
  }

  nav(job: 'results' | 'messages' | 'appointments'): Locator {
    return this.page.getByTestId(`nav-${job}`);
  }

  results(): Locator {
    return this.page.getByTestId('portal-result');
  }

  explained(): Locator {
    return this.page.getByTestId('result-explained');
  }
}

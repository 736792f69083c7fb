import type { Page } from '@playwright/test';

/** The patient's sharing screens in Housecall: point-of-action share and the sharing centre. */
export class SharingPage {
  constructor(readonly page: Page) {}

  /** Picks the practitioner, from the list when the patient may read Practitioners, else by id. */
  async choosePractitioner(id: string): Promise<void> {
    const select = this.page.getByTestId('share-practitioner');
    const input = this.page.getByTestId('share-practitioner-id');
    const form = this.page.locator('form[data-practitioners]');
    await form.and(this.page.locator(':not([data-practitioners="loading"])')).waitFor();
    if ((await form.getAttribute('data-practitioners')) === 'list') await select.selectOption(id);
    else await input.fill(id);
  }

  items() {
    return this.page.getByTestId('consent-item');
  }

  activeItems() {
    return this.page.locator('[data-testid="consent-item"][data-status="active"]');
  }
}

import type { Page } from '@playwright/test';
import { problemsWithin } from './accessibility';

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

  /** Serious or critical axe findings in the sharing centre, and controls under 44 × 44 px in its choices (`scopes`). */
  async accessibilityProblems(scopes: string[]): Promise<string[]> {
    return problemsWithin(this.page, scopes, ['[data-testid="sharing-centre"]']);
  }
}

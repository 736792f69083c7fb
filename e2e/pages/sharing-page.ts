import AxeBuilder from '@axe-core/playwright';
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

  /** Serious or critical axe findings in the sharing centre, and controls under 44 × 44 px in its choices (`scopes`). */
  async accessibilityProblems(scopes: string[]): Promise<string[]> {
    const small = await this.page.evaluate((selectors) => {
      const out: string[] = [];
      for (const el of document.querySelectorAll<HTMLElement>(selectors.map((s) => `${s} :is(a[href], button, summary, input, select, textarea)`).join(','))) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.height < 44 || r.width < 44)) out.push(`small target: ${el.tagName} "${(el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
      }
      return out;
    }, scopes);
    const axe = await new AxeBuilder({ page: this.page }).include('[data-testid="sharing-centre"]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
    return [...small, ...axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `axe: ${v.id}`)];
  }
}

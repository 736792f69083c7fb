import type { Page } from '@playwright/test';
import { problemsWithin } from './accessibility';

/** The patient's sharing screens in Housecall: point-of-action share and the sharing centre. */
export class SharingPage {
  constructor(readonly page: Page) {}

  /** The care-team picker (share and restrict forms): people by name and role, with a search box. */
  picker() {
    return this.page.getByTestId('person-picker');
  }

  /** Finds a person by searching for their family name, then picks them by their full name. */
  async choosePerson(name: string): Promise<void> {
    await this.picker().and(this.page.locator('[data-state="list"]')).waitFor();
    await this.page.getByTestId('person-search').fill(name.split(' ').at(-1) ?? name);
    await this.page.getByTestId('person-option').filter({ hasText: name }).click();
  }

  /** The names and roles the picker lists, in order. */
  async listedPeople(): Promise<string[]> {
    await this.picker().and(this.page.locator('[data-state="list"]')).waitFor();
    return this.page.getByTestId('person-option').evaluateAll((els) => els.map((e) => (e as HTMLElement).innerText.replace(/\s+/g, ' ').trim()));
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

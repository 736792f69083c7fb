import { expect, type Page } from '@playwright/test';
import { phiIn } from '../../fixtures/phi.testing';

/** The staff console (/staff) and its sign-in through the sandbox's staff identity provider. */
export class StaffConsole {
  constructor(readonly page: Page) {}

  /** Signs in as a sandbox staff account from the console's sign-in page, landing on `path`. */
  async signIn(staffId: string, path = '/staff'): Promise<void> {
    await this.page.goto(path);
    await expect(this.page.getByTestId('staff-signin')).toBeVisible();
    await this.page.getByTestId('staff-signin-button').click();
    await this.page.getByTestId(`staff-login-${staffId}`).click();
    await this.page.waitForURL((url) => url.pathname === path);
  }

  who() {
    return this.page.getByTestId('staff-who');
  }

  async search(text: string): Promise<void> {
    await this.page.goto('/staff/support');
    await this.page.getByTestId('staff-search-input').fill(text);
    await this.page.getByTestId('staff-search-submit').click();
    await expect(this.page).toHaveURL(/\/staff\/support\?q=/);
  }

  /** Seeded patients' names, MRNs and birth dates found in this page's HTML (should be none). */
  async phiOnPage(): Promise<string[]> {
    const html = await this.page.content();
    return phiIn(html);
  }
}

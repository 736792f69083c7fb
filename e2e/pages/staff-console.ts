import { expect, type Page } from '@playwright/test';

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
}

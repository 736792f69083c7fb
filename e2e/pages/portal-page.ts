import { expect, type Page } from '@playwright/test';
import { SANDBOX_ORIGIN } from '../../scripts/env';
import { ChartView } from './chart-view';

/** The sandbox's patient portal and its sign-in and consent screens. */
export class PortalPage {
  constructor(readonly page: Page) {}

  async openHousecall(): Promise<void> {
    await this.page.goto(`${SANDBOX_ORIGIN}/portal`);
    await this.page.getByTestId('portal-launch').click();
  }

  async signInAs(accountId: string): Promise<void> {
    await this.page.getByTestId('login-account').selectOption(accountId);
    await this.page.getByTestId('login-continue').click();
  }

  /** A practitioner signing in at the portal picks the patient to open, on the consent screen. */
  async pickPatient(patientId: string): Promise<void> {
    await this.page.getByTestId('consent-patient').selectOption(patientId);
  }

  async approve(): Promise<void> {
    await this.page.getByTestId('consent-approve').click();
  }

  /**
   * A patient's standalone launch from the portal, through sign-in and approval, until their
   * summary has settled; returns the launch's path (`/l/{launchId}`).
   */
  async launchAs(accountId: string): Promise<string> {
    await this.openHousecall();
    await this.signInAs(accountId);
    await this.approve();
    await expect(new ChartView(this.page).summary()).toBeVisible();
    await new ChartView(this.page).settled();
    return new URL(this.page.url()).pathname.replace(/\/(chart|portal)(\/.*)?$/, '');
  }

  async deny(): Promise<void> {
    await this.page.getByTestId('consent-deny').click();
  }
}

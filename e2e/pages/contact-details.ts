import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { ContactPoint, Patient } from '@medplum/fhirtypes';
import { HOUSECALL_URL, SANDBOX_ORIGIN } from '../../scripts/env';
import { PortalPage } from './portal-page';
import { problemsWithin } from './accessibility';

/** The portal's contact details and review pages, the sync indicator, and the patient as the EHR has it. */
export class ContactDetails {
  launchId = '';
  constructor(readonly page: Page, readonly patientId: string) {}

  indicator() {
    return this.page.getByTestId('sync-indicator');
  }

  /**
   * Standalone launch from the sandbox portal, then the contact page by client navigation, once
   * the launch's first sync round has finished: "All changes saved" is also what the indicator
   * says before that round starts, and a round still running later meets whatever the test does
   * to the page (a storage made to fail, the network cut).
   */
  async launchAndOpen(): Promise<void> {
    const portal = new PortalPage(this.page);
    await portal.openHousecall();
    await portal.signInAs(this.patientId);
    await portal.approve();
    await expect(this.page).toHaveURL(/\/l\/[A-Za-z0-9_-]+\/portal$/);
    this.launchId = new URL(this.page.url()).pathname.split('/')[2]!;
    await expect(this.page.locator('[data-sync-state="idle"][data-synced="true"]')).toBeVisible();
    await expect(this.indicator()).toHaveText('All changes saved');
    await this.page.getByTestId('contact-link').click();
    await expect(this.page.getByTestId('contact-phone')).not.toHaveValue('');
  }

  /** Serious or critical axe findings and interactive elements under 44 × 44 px, inside `testId` and the indicator. */
  async accessibilityProblems(testId: string): Promise<string[]> {
    return problemsWithin(this.page, [`[data-testid="${testId}"]`, '[data-sync-state]']);
  }

  async save(fields: Partial<Record<'phone' | 'email' | 'line' | 'city', string>>): Promise<void> {
    for (const [name, value] of Object.entries(fields)) await this.page.getByTestId(`contact-${name}`).fill(value);
    await this.page.getByTestId('contact-save').click();
    await expect(this.page.getByTestId('contact-message')).toContainText('Saved on this device');
  }

  /** The Patient as the EHR has it now, read through Housecall's proxy. */
  async serverPatient(request: APIRequestContext = this.page.request): Promise<Patient> {
    const res = await request.get(`${HOUSECALL_URL}/api/l/${this.launchId}/fhir/Patient/${this.patientId}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as Patient;
  }

  /** Changes the Patient in the sandbox behind Housecall's back (a new version). */
  async editBehindTheBack(request: APIRequestContext, change: (p: Patient) => Partial<Patient>): Promise<void> {
    const res = await request.post(`${SANDBOX_ORIGIN}/_fhir-edit`, { data: { resourceType: 'Patient', id: this.patientId, set: change(await this.serverPatient()) } });
    expect(res.status()).toBe(200);
  }
}

export function telecom(p: Patient, system: ContactPoint['system'], use: ContactPoint['use']): string | undefined {
  return p.telecom?.find((t) => t.system === system && t.use === use)?.value;
}

export function withTelecom(p: Patient, system: ContactPoint['system'], use: ContactPoint['use'], value: string): ContactPoint[] {
  return (p.telecom ?? []).map((t) => (t.system === system && t.use === use ? { ...t, value } : t));
}

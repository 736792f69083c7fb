import type { FrameLocator, Page } from '@playwright/test';
import { SANDBOX_ORIGIN } from '../../scripts/env';
import { ChartView } from './chart-view';

/** The sandbox EHR's host page, which frames Housecall like Hyperspace or PowerChart would. */
export class EhrPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto(`${SANDBOX_ORIGIN}/ehr`);
  }

  async launch(practitionerId: string, patientId: string, app?: 'conformance'): Promise<void> {
    await this.open();
    await this.page.getByTestId('ehr-practitioner').selectOption(practitionerId);
    await this.page.getByTestId('ehr-patient').selectOption(patientId);
    if (app) await this.page.getByTestId('ehr-app').selectOption(app);
    await this.page.getByTestId('ehr-launch').click();
  }

  frame(): FrameLocator {
    return this.page.frameLocator('[data-testid="ehr-frame"]');
  }

  chart(): ChartView {
    return new ChartView(this.frame());
  }

  /** The URL the framed document is at now. */
  frameUrl(): string {
    const frame = this.page.frames().find((f) => f !== this.page.mainFrame());
    return frame?.url() ?? '';
  }
}

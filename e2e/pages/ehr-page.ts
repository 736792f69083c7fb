import type { Frame, FrameLocator, Page } from '@playwright/test';
import { SANDBOX_ORIGIN } from '../../scripts/env';
import { ChartDetail } from './chart-detail';
import { ChartView } from './chart-view';

/** The sandbox EHR's host page, which frames Housecall like Hyperspace or PowerChart would. */
export class EhrPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.goto(`${SANDBOX_ORIGIN}/ehr`);
  }

  /** The EHR's message inbox, signed in as this practitioner. */
  async openInbox(practitionerId: string): Promise<void> {
    await this.page.goto(`${SANDBOX_ORIGIN}/ehr/inbox/sign-in?practitioner=${encodeURIComponent(practitionerId)}`);
  }

  /** Opens the newest inbox message with this topic and replies to it. */
  async replyInInbox(topic: string, text: string): Promise<void> {
    await this.page.getByTestId('inbox-item').filter({ hasText: topic }).first().getByRole('link').click();
    await this.page.getByTestId('inbox-reply-text').fill(text);
    await this.page.getByTestId('inbox-reply-send').click();
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

  detail(): ChartDetail {
    return new ChartDetail(this.frame());
  }

  /** The framed document itself, for scrolling, reloading and reading its storage. */
  appFrame(): Frame {
    const frame = this.page.frames().find((f) => f !== this.page.mainFrame());
    if (!frame) throw new Error('the EHR page has no app frame');
    return frame;
  }

  /** Reloads the framed app in place, as a clinician's browser would after an app switch. */
  async reloadApp(): Promise<void> {
    const frame = this.appFrame();
    await frame.goto(frame.url());
  }

  /** The URL the framed document is at now. */
  frameUrl(): string {
    return this.page.frames().find((f) => f !== this.page.mainFrame())?.url() ?? '';
  }
}

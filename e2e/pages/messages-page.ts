import { expect, type Page } from '@playwright/test';

/** The portal's messages pages: the thread list, a thread, and the compose form. */
export class MessagesPage {
  constructor(readonly page: Page) {}

  threads() {
    return this.page.getByTestId('thread-item');
  }

  thread(topic: string) {
    return this.threads().filter({ has: this.page.getByTestId('thread-topic').getByText(topic, { exact: true }) });
  }

  async chooseRecipient(name: string): Promise<void> {
    await expect(this.page.getByTestId('person-picker')).toHaveAttribute('data-state', 'list');
    await this.page.getByTestId('person-option').filter({ hasText: name }).first().click();
  }

  /** Types into the form and waits until the draft is in the device's store. */
  async write(fields: { topic?: string; text: string }): Promise<void> {
    await expect(this.page.getByTestId('compose')).toHaveAttribute('data-loaded', 'yes');
    if (fields.topic !== undefined) await this.page.getByTestId('compose-topic').fill(fields.topic);
    await this.page.getByTestId('compose-text').fill(fields.text);
    await expect(this.page.getByTestId('compose-kept')).toHaveAttribute('data-kept', 'device');
  }

  async attach(file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByTestId('attachment-input').setInputFiles(file);
  }

  async send(): Promise<void> {
    await expect(this.page.getByTestId('compose-send')).toBeEnabled();
    await this.page.getByTestId('compose-send').click();
  }
}

import type { FrameLocator, Locator, Page } from '@playwright/test';

/** A chart detail view: a section's full list, a result's history, or the note editor. */
export class ChartDetail {
  constructor(readonly root: FrameLocator | Page) {}

  title(): Locator {
    return this.root.getByTestId('detail-title');
  }

  back(): Locator {
    return this.root.getByTestId('detail-back');
  }

  items(): Locator {
    return this.root.getByTestId('detail-item');
  }

  inactiveToggle(): Locator {
    return this.root.getByTestId('inactive-toggle');
  }

  resultRows(): Locator {
    return this.root.getByTestId('result-row');
  }

  resultDetail(): Locator {
    return this.root.getByTestId('result-detail');
  }

  trendChart(): Locator {
    return this.root.getByTestId('trend-chart');
  }

  trendImage(): Locator {
    return this.trendChart().getByRole('img');
  }

  referenceBand(): Locator {
    return this.root.getByTestId('reference-band');
  }

  historyRows(): Locator {
    return this.root.getByTestId('history-row');
  }

  historyCount(): Locator {
    return this.root.getByTestId('history-count');
  }

  loadOlder(): Locator {
    return this.root.getByTestId('load-older');
  }

  /** The value a results list shows for one series (`system|code` or `text:…`). */
  resultValue(code: string): Locator {
    return this.root.locator(`[data-testid="result-row"][data-code="${code}"]`).getByTestId('series-value');
  }

  otherObservations(): Locator {
    return this.root.getByTestId('other-observations');
  }

  latestText(): Locator {
    return this.root.getByTestId('latest-text');
  }

  performer(): Locator {
    return this.root.getByTestId('performer');
  }

  historyValues(): Locator {
    return this.root.getByTestId('history-value');
  }

  /** The value exactly as the source sent it, in the source panel. */
  sourceValue(): Locator {
    return this.root.getByTestId('source-value');
  }

  sourcePanel(): Locator {
    return this.root.getByTestId('source-panel').first();
  }

  noteText(): Locator {
    return this.root.getByTestId('note-text');
  }

  noteStatus(): Locator {
    return this.root.getByTestId('note-status');
  }

  outcomes(): Locator {
    return this.root.getByTestId('section-outcome');
  }
}

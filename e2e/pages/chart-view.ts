import type { FrameLocator, Locator, Page } from '@playwright/test';

export type SummarySection = 'allergies' | 'problems' | 'medications' | 'vitals' | 'attention';

/** Housecall's chart or portal summary, inside an EHR frame or as a top-level page. */
export class ChartView {
  constructor(readonly root: FrameLocator | Page) {}

  /**
   * The summary once its scripts run. The page arrives with its data (server-rendered), so what it
   * shows can be on screen before a tap on it does anything: everything below waits for that.
   */
  summary(): Locator {
    return this.root.locator('[data-testid="chart-summary"][data-hydrated="yes"]');
  }

  patientName(): Locator {
    return this.summary().getByTestId('patient-name');
  }

  banner(): Locator {
    return this.summary().getByTestId('patient-banner');
  }

  section(id: SummarySection): Locator {
    return this.summary().getByTestId(`section-${id}`);
  }

  attentionItems(): Locator {
    return this.section('attention').getByTestId('attention-item');
  }

  /** Opens a section's detail view from its card header. */
  async openSection(id: Exclude<SummarySection, 'attention'>): Promise<void> {
    await this.section(id).getByTestId('section-open').click();
  }

  actionBar(): Locator {
    return this.root.getByTestId('action-bar');
  }

  reviewResults(): Locator {
    return this.root.getByTestId('action-review-results');
  }

  writeNote(): Locator {
    return this.root.getByTestId('action-write-note');
  }

  moreSections(): Locator {
    return this.root.getByTestId('more-sections');
  }

  /** The latest value a summary card shows for one series (`system|code`). */
  seriesValue(section: 'vitals' | 'attention', code: string): Locator {
    return this.section(section).locator(`[data-code="${code}"]`).getByTestId('series-value').first();
  }

  /** The styled root of the chart, where the EHR's colours apply. */
  styledRoot(): Locator {
    return this.root.getByTestId('styled-root');
  }

  /** Resolves once the summary has its answers: those the page came with, and every request the browser made. */
  async settled(): Promise<void> {
    await this.summary().and(this.root.locator('[data-fhir-pending="0"]:not([data-fhir-requests="0"][data-fhir-server="0"])')).waitFor();
  }
}

import type { FrameLocator, Locator, Page } from '@playwright/test';

/** Housecall's chart or portal summary, inside an EHR frame or as a top-level page. */
export class ChartView {
  constructor(readonly root: FrameLocator | Page) {}

  summary(): Locator {
    return this.root.getByTestId('chart-summary');
  }

  patientName(): Locator {
    return this.root.getByTestId('patient-name');
  }

  section(id: 'allergies' | 'problems' | 'medications' | 'vitals'): Locator {
    return this.root.getByTestId(`section-${id}`);
  }
}

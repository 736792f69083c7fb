import type { Bundle, Resource } from '@medplum/fhirtypes';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { FIXTURE_PATIENTS } from '../../../fixtures';
import { bundleOf, chartOf, observationsIn } from '@/lib/fhir/compose/testing';
import { summaryRequestPaths, SUMMARY_REQUESTS } from '@/lib/fhir/compose/requests';
import { proxyUrl } from '@/lib/fhir/proxy-path';
import type { ServerAnswers } from '@/lib/fhir/first-screen';
import { CONSENT_HIDDEN_EXTENSION } from '@/lib/consent/hidden';
import { answeredState, composeSummary, type SummaryAnswers } from '@/components/chart/summary-view';
import { firstScreenSummary } from './first-screen-summary';

const ada = FIXTURE_PATIENTS[0]!;
const LAUNCH = 'launch-1';
const fetchedAt = new Date().toISOString();

/** The answers the server gets for Ada's summary, as first-screen.ts keys them. */
function adaAnswers(): ServerAnswers {
  const chart = chartOf(ada.id);
  const bodies: Record<string, unknown> = {
    [summaryRequestPaths(ada.id)[0]!]: chart.patient,
    [SUMMARY_REQUESTS.allergies]: bundleOf(chart.of('AllergyIntolerance')),
    [SUMMARY_REQUESTS.problems]: bundleOf(chart.of('Condition')),
    [SUMMARY_REQUESTS.medicationRequests]: bundleOf(chart.of('MedicationRequest')),
    [SUMMARY_REQUESTS.medicationStatements]: bundleOf(chart.of('MedicationStatement')),
    [SUMMARY_REQUESTS.vitals]: bundleOf(observationsIn(ada.id, 'vital-signs')),
    [SUMMARY_REQUESTS.labs]: bundleOf(observationsIn(ada.id, 'laboratory')),
  };
  return Object.fromEntries(Object.entries(bodies).map(([path, body]) => [proxyUrl(LAUNCH, path), { body, fetchedAt }]));
}

const patient = { launchId: LAUNCH, patientId: ada.id, source: 'Test EHR', showBanner: true, audience: 'patient' as const };

describe('the summary composed on the server for a page loaded as a document', () => {
  it('is drawn only when every answer of the summary came with the page', () => {
    const answers = adaAnswers();
    const keys = summaryRequestPaths(ada.id).map((p) => proxyUrl(LAUNCH, p));
    expect(firstScreenSummary(answers, patient)?.keys.sort()).toEqual([...keys].sort());
    for (const key of keys) {
      const { [key]: _missing, ...rest } = answers;
      expect(firstScreenSummary(rest, patient), key).toBeUndefined();
    }
  });

  it('draws who, the conditions and the allergies, each answer aged on the server’s clock', () => {
    const html = renderToStaticMarkup(<>{firstScreenSummary(adaAnswers(), patient)!.body}</>);
    expect(html).toContain(ada.display);
    expect(html).toContain('data-testid="section-problems"');
    expect(html).toContain('data-testid="section-allergies"');
    expect(html).toContain('Checked <time');
    expect(html).toContain('just now');
    expect(html).not.toContain('Loading');
  });
});

describe('composeSummary', () => {
  const answered = (): SummaryAnswers => {
    const a = adaAnswers();
    const state = (path: string) => answeredState(a[proxyUrl(LAUNCH, path)]!);
    return {
      patient: answeredState(a[proxyUrl(LAUNCH, summaryRequestPaths(ada.id)[0]!)]!),
      allergies: state(SUMMARY_REQUESTS.allergies),
      problems: state(SUMMARY_REQUESTS.problems),
      medicationRequests: state(SUMMARY_REQUESTS.medicationRequests),
      medicationStatements: state(SUMMARY_REQUESTS.medicationStatements),
      vitals: state(SUMMARY_REQUESTS.vitals),
      labs: state(SUMMARY_REQUESTS.labs),
    };
  };

  it('marks answers the server fetched as stamped on its clock, and the browser’s own as not', () => {
    const d = answered();
    expect(composeSummary(d, 'Test EHR', Date.now()).problems.status.serverClock).toBe(true);
    const own = { ...d, problems: { ...d.problems, serverClock: false } };
    expect(composeSummary(own, 'Test EHR', Date.now()).problems.status.serverClock).toBeUndefined();
  });

  it('is settled only when no answer is loading, and ended when any says the launch ended', () => {
    const d = answered();
    const view = composeSummary(d, 'Test EHR', Date.now());
    expect(view.settled).toBe(true);
    expect(view.ended).toBe(false);
    expect(view.header?.name).toBe(ada.display);
    expect(composeSummary({ ...d, labs: { isLoading: true } }, 'Test EHR', Date.now()).settled).toBe(false);
    expect(composeSummary({ ...d, labs: { isLoading: false, outcome: 'launch-ended' } }, 'Test EHR', Date.now()).ended).toBe(true);
  });

  it('says why consent withheld entries, and gives no allergy count when the list was cut short', () => {
    const d = answered();
    const tagged: Bundle = { ...(d.problems.data as Bundle), meta: { tag: [{ system: CONSENT_HIDDEN_EXTENSION, code: 'some' }, { system: 'urn:housecall:consent-hidden-why', code: 'restricted' }] } };
    expect(composeSummary({ ...d, problems: { ...d.problems, data: tagged } }, 'Test EHR', Date.now()).hiddenWhy).toEqual(['restricted']);
    expect(composeSummary(d, 'Test EHR', Date.now()).hiddenWhy).toBeUndefined();
    const cut: Bundle = { ...(d.allergies.data as Bundle), link: [{ relation: 'next', url: 'https://ehr.example/next' }] };
    const view = composeSummary({ ...d, allergies: { ...d.allergies, data: cut } }, 'Test EHR', Date.now());
    expect(view.allergyCount).toBeUndefined();
    expect(composeSummary(d, 'Test EHR', Date.now()).allergyCount).toBe((chartOf(ada.id).of('AllergyIntolerance') as Resource[]).length);
  });
});

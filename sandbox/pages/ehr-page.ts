/**
 * `/ehr`: the sandbox EHR's host page, in the manner of Epic Hyperspace: the clinician picks a
 * patient, presses Launch, and the app opens in a frame under the EHR's own patient banner.
 * The query string holds the whole state (`?practitioner=&patient=&app=&autolaunch=1`), so a
 * test or a bookmark can open a launched chart directly.
 */
import type { Patient } from '@medplum/fhirtypes';
import type { SandboxAccount } from '../auth';
import { html, page, type Html } from './html';

export type EhrApp = 'housecall' | 'conformance';

export interface EhrSelection {
  practitionerId?: string;
  patientId?: string;
  encounterId?: string;
  app: EhrApp;
}

export interface EhrLaunched {
  practitioner: SandboxAccount;
  patient: SandboxAccount;
  patientResource: Patient;
  frameSrc: string;
  frameTitle: string;
}

export interface EhrPageView {
  practitioners: SandboxAccount[];
  patients: SandboxAccount[];
  selection: EhrSelection;
  launched?: EhrLaunched;
  error?: string;
}

const EHR_CSS = `
body{background:#e9edf2}
.ehr-bar{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;background:#123b5e;color:#fff;padding:.5rem 1rem}
.ehr-bar strong{font-size:1.1rem}
.banner{background:#fff;border-bottom:2px solid #123b5e;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;align-items:baseline}
.banner h1{margin:0;font-size:1.25rem}
.picker{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.5rem 1rem;align-items:end;padding:.5rem 1rem;background:#f5f7fa;border-bottom:1px solid #c9d3dc}
.picker label{margin:0 0 .25rem}
.picker-toggle{cursor:pointer;min-height:44px;display:flex;align-items:center;padding:0 1rem;background:#f5f7fa;border-bottom:1px solid #c9d3dc;font-weight:600}
iframe.app{display:block;width:100%;height:calc(100vh - 12rem);min-height:32rem;border:0;background:#fff}
`;

function option(value: string, label: string, selected: boolean): Html {
  return html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;
}

function identifierOf(patient: Patient): string | undefined {
  const mrn = patient.identifier?.find((id) => id.type?.coding?.some((c) => c.code === 'MR')) ?? patient.identifier?.[0];
  return mrn?.value;
}

function banner(launched: EhrLaunched): Html {
  const p = launched.patientResource;
  const mrn = identifierOf(p);
  return html`<section class="banner" aria-label="Patient">
  <h1 data-testid="ehr-patient-name">${launched.patient.displayName}</h1>
  ${p.birthDate ? html`<span>Born ${p.birthDate}</span>` : ''}
  ${p.gender ? html`<span>${p.gender}</span>` : ''}
  ${mrn ? html`<span>${/^MRN/i.test(mrn) ? mrn : `MRN ${mrn}`}</span>` : ''}
</section>`;
}

function picker(view: EhrPageView): Html {
  const { selection } = view;
  return html`<form class="picker" method="get" action="/ehr" aria-label="Choose practitioner and patient">
  <div><label for="ehr-practitioner">Practitioner (you)</label>
  <select id="ehr-practitioner" name="practitioner" required data-testid="ehr-practitioner">
    ${view.practitioners.map((p) => option(p.id, p.displayName, p.id === selection.practitionerId))}
  </select></div>
  <div><label for="ehr-patient">Patient</label>
  <select id="ehr-patient" name="patient" required data-testid="ehr-patient">
    ${view.patients.map((p) => option(p.id, p.displayName, p.id === selection.patientId))}
  </select></div>
  <div><label for="ehr-app">App</label>
  <select id="ehr-app" name="app" data-testid="ehr-app">
    ${option('housecall', 'Housecall', selection.app === 'housecall')}
    ${option('conformance', 'fhirclient conformance page', selection.app === 'conformance')}
  </select></div>
  <div><button type="submit" name="autolaunch" value="1" data-testid="ehr-launch">Launch</button></div>
</form>`;
}

export function ehrPage(view: EhrPageView): string {
  const { launched } = view;
  return page({
    title: launched ? `${launched.patient.displayName} · Sandbox EHR` : 'Sandbox EHR',
    css: EHR_CSS,
    body: html`<header class="ehr-bar">
  <strong>Sandbox EHR</strong>
  <span>${launched ? html`Signed in as <span data-testid="ehr-user">${launched.practitioner.displayName}</span>` : 'Choose who you are and a patient'}</span>
  <span><a href="/ehr/inbox" style="color:#fff" data-testid="ehr-inbox-link">Inbox</a> · <a href="/" style="color:#fff">Home</a></span>
</header>
${launched ? html`<details open><summary class="picker-toggle">Change patient or app</summary>${picker(view)}</details>` : picker(view)}
${view.error ? html`<p class="error" role="alert" style="padding:0 1rem">${view.error}</p>` : ''}
${
  launched
    ? html`${banner(launched)}
<main style="max-width:none;padding:0">
  <iframe class="app" data-testid="ehr-frame" title="${launched.frameTitle}" src="${launched.frameSrc}"
    allow="clipboard-write; fullscreen"
    sandbox="allow-same-origin allow-scripts allow-forms allow-popups allow-popups-to-escape-sandbox allow-modals allow-downloads allow-top-navigation-by-user-activation allow-storage-access-by-user-activation"></iframe>
</main>`
    : html`<main><h1>Launch an app</h1><p class="muted">Choose a practitioner and a patient, then press Launch to open the app inside the EHR.</p></main>`
}`,
  });
}

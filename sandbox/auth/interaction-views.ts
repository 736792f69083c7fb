/** The sign-in and consent screens of a standalone launch, as HTML strings. */
import { html, page, type Html } from '../pages/html';
import type { SandboxAccount } from './accounts';
import { describeScope } from './scopes';

export interface ChooserView {
  action: string;
  clientName: string;
  patients: SandboxAccount[];
  practitioners: SandboxAccount[];
  relatedPersons: SandboxAccount[];
  selected?: string;
  error?: string;
}

function options(accounts: SandboxAccount[], selected?: string): Html[] {
  return accounts.map(
    (a) => html`<option value="${a.id}"${a.id === selected ? html` selected` : ''}>${a.displayName}</option>`,
  );
}

/** Step 1: choose who you are (synthetic people only; no passwords in the sandbox). */
export function chooserPage(view: ChooserView): string {
  return page({
    title: 'Sign in · Sandbox EHR',
    body: html`<main>
<h1>Sign in to the Sandbox EHR</h1>
<p><strong>${view.clientName}</strong> wants to connect to your health record.</p>
<p class="muted">Everyone listed here is fictional. Choose who you are to continue.</p>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
<form method="get" action="${view.action}" class="card">
  <label for="account">Who are you?</label>
  <select id="account" name="account" required data-testid="login-account">
    <option value="">Choose a person…</option>
    <optgroup label="Patients">${options(view.patients, view.selected)}</optgroup>
    <optgroup label="Practitioners">${options(view.practitioners, view.selected)}</optgroup>
    <optgroup label="Family and caregivers">${options(view.relatedPersons, view.selected)}</optgroup>
  </select>
  <div class="actions"><button type="submit" data-testid="login-continue">Continue</button></div>
</form>
</main>`,
  });
}

export interface ConsentView {
  action: string;
  chooserHref: string;
  clientName: string;
  account: SandboxAccount;
  requested: string[];
  granted: Set<string>;
  /** Present when a practitioner must pick the patient (standalone `launch/patient`). */
  patientChoices?: SandboxAccount[];
  error?: string;
}

/** Step 2: the requested permissions, with Approve and Deny. */
export function consentPage(view: ConsentView): string {
  const scopes = view.requested.map((scope) => {
    const granted = view.granted.has(scope);
    return html`<li>${describeScope(scope)} <code>${scope}</code>${
      granted ? '' : html` <span class="muted">(not available, will not be granted)</span>`
    }</li>`;
  });
  return page({
    title: 'Allow access? · Sandbox EHR',
    body: html`<main>
<h1>Allow ${view.clientName} to access your record?</h1>
<p>Signed in as <strong data-testid="consent-user">${view.account.displayName}</strong>
 (${view.account.type.toLowerCase()}). <a href="${view.chooserHref}">Not you? Choose someone else</a></p>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
<form method="post" action="${view.action}" class="card">
  <input type="hidden" name="account" value="${view.account.id}">
  ${
    view.patientChoices
      ? html`<label for="patient">Patient to open</label>
  <select id="patient" name="patient" required data-testid="consent-patient">
    <option value="">Choose a patient…</option>${options(view.patientChoices)}
  </select>`
      : ''
  }
  <h2>${view.clientName} asks to</h2>
  <ul class="scopes" data-testid="consent-scopes">${scopes}</ul>
  <div class="actions">
    <button type="submit" name="decision" value="approve" data-testid="consent-approve">Approve</button>
    <button type="submit" name="decision" value="deny" formnovalidate class="secondary" data-testid="consent-deny">Deny</button>
  </div>
</form>
</main>`,
  });
}

/** The sandbox's home page and patient portal. */
import { html, page } from './html';

export interface LinkTargets {
  fhirBase: string;
  housecallUrl: string;
  issuer: string;
}

export function homePage({ fhirBase, issuer }: LinkTargets): string {
  return page({
    title: 'Sandbox EHR',
    body: html`<main>
<h1>Sandbox EHR</h1>
<p>A local EHR for developing and testing Housecall. Every patient here is fictional.</p>
<ul>
  <li><a href="/ehr" data-testid="home-ehr">EHR</a>: choose a practitioner and a patient, then launch Housecall inside the EHR (EHR launch).</li>
  <li><a href="/portal" data-testid="home-portal">Patient portal</a>: open Housecall on its own (standalone launch). Sign in as a patient, a practitioner (then pick a patient) or a family member.</li>
</ul>
<h2>For developers</h2>
<ul>
  <li><a href="${fhirBase}/.well-known/smart-configuration">SMART configuration</a></li>
  <li><a href="${issuer}/.well-known/openid-configuration">OpenID Connect discovery</a></li>
  <li><a href="${fhirBase}/metadata">FHIR CapabilityStatement</a></li>
  <li><a href="/smart-style.json">SMART style</a></li>
</ul>
</main>`,
  });
}

export function portalPage({ fhirBase, housecallUrl }: LinkTargets): string {
  const iss = encodeURIComponent(fhirBase);
  return page({
    title: 'Patient portal · Sandbox EHR',
    body: html`<main>
<h1>Patient portal</h1>
<p>Welcome. Apps connected to your health record:</p>
<div class="card">
  <h2>Housecall</h2>
  <p>See your chart, results and medicines, even when you are offline.</p>
  <a class="button" href="${housecallUrl}/launch?iss=${iss}" data-testid="portal-launch">Open Housecall</a>
</div>
<div class="card">
  <h2>fhirclient conformance app</h2>
  <p class="muted">A standard SMART client, for checking the sandbox itself.</p>
  <a href="/conformance/launch.html?iss=${iss}" data-testid="portal-conformance">Open the conformance app</a>
</div>
<p><a href="/">Sandbox home</a></p>
</main>`,
  });
}

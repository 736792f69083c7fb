/**
 * `/conformance/*`: a standard SMART client (fhirclient 2.6's browser build, public client
 * `conformance`) that proves the sandbox serves an ordinary SMART launch, not only Housecall's.
 * `launch.html` starts an EHR launch when it gets `launch`, a standalone one otherwise;
 * `app.html` completes it and shows the patient's name.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import { Html, html, page, sendHtml, sendText } from './html';

const require = createRequire(import.meta.url);

let bundle: Promise<Buffer> | undefined;

function fhirClientBundle(): Promise<Buffer> {
  bundle ??= readFile(path.join(path.dirname(require.resolve('fhirclient/package.json')), 'build', 'fhir-client.min.js'));
  return bundle;
}

const LAUNCH_SCRIPT = `
var params = new URLSearchParams(location.search);
var scope = params.has('launch')
  ? 'launch openid fhirUser patient/*.read'
  : 'launch/patient openid fhirUser patient/*.read';
FHIR.oauth2.authorize({ clientId: 'conformance', scope: scope, redirectUri: 'app.html' })
  .catch(function (error) {
    document.getElementById('status').textContent = 'Launch failed: ' + error.message;
  });
`;

const APP_SCRIPT = `
var statusEl = document.getElementById('status');
function nameOf(patient) {
  var name = (patient.name || [])[0] || {};
  if (name.text) return name.text;
  return [].concat(name.given || [], name.family || []).join(' ') || patient.id;
}
FHIR.oauth2.ready()
  .then(function (client) {
    document.querySelector('[data-testid=conformance-user]').textContent = client.getFhirUser() || '(none)';
    return client.patient.read();
  })
  .then(function (patient) {
    document.querySelector('[data-testid=conformance-patient]').textContent = nameOf(patient);
    statusEl.textContent = 'Launch complete.';
  })
  .catch(function (error) {
    statusEl.textContent = 'Launch failed: ' + error.message;
    statusEl.className = 'error';
  });
`;

function conformancePage(title: string, body: Html, script: string): string {
  return page({
    title,
    body: html`<main>${body}</main><script src="/conformance/fhir-client.js"></script><script>${new Html(script)}</script>`,
  });
}

/** Serves a `/conformance/...` path; false when there is no such file. */
export async function serveConformance(pathname: string, res: ServerResponse): Promise<boolean> {
  switch (pathname) {
    case '/conformance/fhir-client.js': {
      res.statusCode = 200;
      res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.end(await fhirClientBundle());
      return true;
    }
    case '/conformance/launch.html':
      sendHtml(res, 200, conformancePage(
        'Launching · fhirclient conformance',
        html`<h1>fhirclient conformance app</h1><p id="status" role="status">Connecting to the EHR…</p>`,
        LAUNCH_SCRIPT,
      ));
      return true;
    case '/conformance/app.html':
      sendHtml(res, 200, conformancePage(
        'fhirclient conformance',
        html`<h1>fhirclient conformance app</h1>
<p>Patient: <strong data-testid="conformance-patient"></strong></p>
<p>User: <span data-testid="conformance-user"></span></p>
<p id="status" role="status" data-testid="conformance-status">Completing the launch…</p>`,
        APP_SCRIPT,
      ));
      return true;
    case '/conformance':
    case '/conformance/':
      sendText(res, 404, 'Open /conformance/launch.html from the EHR or the portal.');
      return true;
    default:
      return false;
  }
}

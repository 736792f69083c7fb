/**
 * The sandbox's own pages and small endpoints: home, EHR host page, patient portal, the
 * fhirclient conformance app, the SMART style, and the fault routes (`/_knobs`, `/_knobs/stats`,
 * `/_fhir-edit`, `/_fhir-delete`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Patient } from '@medplum/fhirtypes';
import type { Seed } from '../../fixtures/types';
import type { Accounts, EhrLaunch, EhrSessions } from '../auth';
import type { FhirServer } from '../contracts';
import type { SandboxStats } from '../faults';
import type { SandboxKnobs } from '../knobs';
import { serveConformance } from './conformance';
import { ehrPage, type EhrApp, type EhrSelection } from './ehr-page';
import { faultRoute, isFaultPath } from './fault-routes';
import { inboxRoute, isInboxPath } from './inbox-routes';
import { sendHtml, sendJson } from './html';
import { homePage, portalPage } from './simple-pages';
import { LOW_CONTRAST_STYLE, SMART_STYLE } from './smart-style';

export interface PagesOptions {
  origin: string;
  fhirBase: string;
  housecallUrl: string;
  issuer: string;
  seed: Seed;
  accounts: Accounts;
  createLaunch(input: { practitionerId: string; patientId: string; encounterId?: string }): EhrLaunch;
  /** The EHR page signs in whoever picks a practitioner (auth/ehr-session.ts). */
  ehrSessions: EhrSessions;
  knobs: SandboxKnobs;
  stats: SandboxStats;
  /** For `/_fhir-edit` and `/_fhir-delete`. */
  fhir: FhirServer;
  /** False in production: the fault routes answer 403. */
  faultRoutesEnabled: boolean;
}

export interface Pages {
  /** Handles the request and returns true, or returns false when no page matches. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export function createPages(options: PagesOptions): Pages {
  const { accounts, fhirBase } = options;
  const patients = new Map<string, Patient>(options.seed.patients.map((p) => [p.patient.id, p.patient]));
  const links = { fhirBase, housecallUrl: options.housecallUrl, issuer: options.issuer };

  function frameSrc(app: EhrApp, launch: EhrLaunch): string {
    const query = `iss=${encodeURIComponent(launch.iss)}&launch=${encodeURIComponent(launch.id)}`;
    return app === 'conformance'
      ? `${options.origin}/conformance/launch.html?${query}`
      : `${options.housecallUrl}/launch?${query}`;
  }

  function ehr(url: URL, res: ServerResponse): void {
    const q = url.searchParams;
    const selection: EhrSelection = {
      app: q.get('app') === 'conformance' ? 'conformance' : 'housecall',
      ...(q.get('practitioner') ? { practitionerId: q.get('practitioner')! } : {}),
      ...(q.get('patient') ? { patientId: q.get('patient')! } : {}),
      ...(q.get('encounter') ? { encounterId: q.get('encounter')! } : {}),
    };
    const view = { practitioners: accounts.practitioners, patients: accounts.patients, selection };
    if (q.get('autolaunch') !== '1') return sendHtml(res, 200, ehrPage(view));

    const practitioner = accounts.get(selection.practitionerId ?? '');
    const patient = accounts.get(selection.patientId ?? '');
    const patientResource = patient && patients.get(patient.id);
    if (practitioner?.type !== 'Practitioner' || patient?.type !== 'Patient' || !patientResource) {
      return sendHtml(res, 400, ehrPage({ ...view, error: 'Choose a practitioner and a patient from the lists.' }));
    }
    const encounterId = selection.encounterId ?? accounts.latestEncounterOf(patient.id);
    if (encounterId && !accounts.hasEncounter(patient.id, encounterId)) {
      return sendHtml(res, 400, ehrPage({ ...view, error: 'That encounter does not belong to this patient.' }));
    }
    // Picking "Practitioner (you)" and pressing Launch is this EHR's sign-in: the authorization
    // of the launch checks this session, so the launch id alone signs no one in.
    res.setHeader('Set-Cookie', options.ehrSessions.signIn(practitioner.id));
    const launch = options.createLaunch({
      practitionerId: practitioner.id,
      patientId: patient.id,
      ...(encounterId ? { encounterId } : {}),
    });
    sendHtml(res, 200, ehrPage({
      ...view,
      launched: {
        practitioner,
        patient,
        patientResource,
        frameSrc: frameSrc(selection.app, launch),
        frameTitle: selection.app === 'conformance' ? 'fhirclient conformance app' : 'Housecall',
      },
    }));
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', options.origin);
      const { pathname } = url;
      if (isFaultPath(pathname)) {
        const { knobs, stats, fhir, faultRoutesEnabled: enabled } = options;
        await faultRoute({ knobs, stats, fhir, enabled }, pathname, req, res);
        return true;
      }
      if (isInboxPath(pathname)) {
        await inboxRoute({ origin: options.origin, accounts, ehrSessions: options.ehrSessions, fhir: options.fhir }, url, req, res);
        return true;
      }
      if (pathname.startsWith('/conformance')) {
        if (req.method !== 'GET' && req.method !== 'HEAD') return false;
        return serveConformance(pathname, res);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      switch (pathname) {
        case '/':
          sendHtml(res, 200, homePage(links));
          return true;
        case '/ehr':
          ehr(url, res);
          return true;
        case '/portal':
          sendHtml(res, 200, portalPage(links));
          return true;
        case '/smart-style.json':
          sendJson(res, 200, SMART_STYLE, { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' });
          return true;
        case '/smart-style-low-contrast.json':
          sendJson(res, 200, LOW_CONTRAST_STYLE, { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=300' });
          return true;
        default:
          return false;
      }
    },
  };
}

export { messagePage, sendHtml, sendJson, sendText } from './html';

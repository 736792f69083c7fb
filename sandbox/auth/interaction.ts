/**
 * The sandbox's login and consent: `/oidc/interaction/:uid`.
 *
 * Every authorization ends here with a fresh Grant (existing grants are never reused, so a second
 * launch in the same browser never inherits the first one's patient):
 * - EHR launch (`launch` scope): the user must be signed in at the EHR page (its session cookie,
 *   ehr-session.ts) as the practitioner who made the launch; then the interaction finishes at
 *   once with the launch's context. A launch id without that session signs no one in;
 * - standalone: choose who you are, then approve or deny the requested scopes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InteractionLike, Provider } from 'oidc-provider';
import { faultApplies, takeFault } from '../faults';
import { messagePage, sendHtml } from '../pages/html';
import { BodyError, readForm } from '../pages/request-body';
import type { Accounts, SandboxAccount } from './accounts';
import type { EhrSessions } from './ehr-session';
import type { AuthFaultDeps } from './faults';
import { chooserPage, consentPage } from './interaction-views';
import type { GrantContext, LaunchContextStore } from './launch-context';
import { CONTEXT_SCOPES, IDENTITY_SCOPES, grantableResourceScopes, parseResourceScope, splitScope } from './scopes';
import { STAFF_CLIENT_ID, STAFF_SCOPE, staffChooserPage, type StaffAccount } from './staff';

export interface InteractionDeps {
  provider: Provider;
  accounts: Accounts;
  contexts: LaunchContextStore;
  fhirBase: string;
  /** Path of the issuer, e.g. `/oidc`. */
  issuerPath: string;
  clientNames: Map<string, string>;
  /** For the `narrowScopes`, `denyWithDescription` and `singleUseLaunch` knobs. */
  faults: AuthFaultDeps;
  /** Who is signed in at the EHR page (ehr-session.ts). */
  ehrSessions: EhrSessions;
  /** Staff accounts, for the staff console's client only (staff.ts). */
  staff: Map<string, StaffAccount>;
}

const STATIC_SCOPES = new Set<string>([...IDENTITY_SCOPES, ...CONTEXT_SCOPES]);
const PATH = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/confirm)?$/;

function param(details: InteractionLike, name: string): string | undefined {
  const value = details.params[name];
  return typeof value === 'string' ? value : undefined;
}

export function createInteractionHandler(deps: InteractionDeps) {
  const { provider, accounts, contexts, fhirBase, issuerPath } = deps;

  /** The session belongs to someone else: end it, so signing in as this account needs no logout page. */
  async function releaseOtherSession(details: InteractionLike, accountId: string): Promise<void> {
    const session = details.session;
    if (!session?.uid || !session.accountId || session.accountId === accountId) return;
    await (await provider.Session.findByUid(session.uid))?.destroy();
    delete details.session;
    await details.save(Math.max(1, details.exp - Math.floor(Date.now() / 1000)));
  }

  async function finishWithGrant(
    req: IncomingMessage,
    res: ServerResponse,
    details: InteractionLike,
    account: SandboxAccount,
    context: GrantContext,
  ): Promise<void> {
    await releaseOtherSession(details, account.id);
    const clientId = param(details, 'client_id')!;
    const asked = splitScope(details.params.scope);
    const narrowed = takeFault(deps.faults.knobs, 'narrowScopes', { clientId }, deps.faults.onFault);
    const requested = narrowed ? asked.filter((s) => !narrowed.scopes.includes(s)) : asked;
    const grant = new provider.Grant({ accountId: account.id, clientId });
    const oidcScopes = requested.filter((s) => STATIC_SCOPES.has(s));
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
    if (oidcScopes.includes('fhirUser')) grant.addOIDCClaims(['fhirUser']);
    // Rejected, not just left out: oidc-provider would otherwise ask for consent again.
    const withheld = asked.filter((s) => STATIC_SCOPES.has(s) && !oidcScopes.includes(s));
    if (withheld.length) grant.rejectOIDCScope(withheld.join(' '));
    const v1Only = takeFault(deps.faults.knobs, 'v1Only', { clientId }, deps.faults.onFault);
    const resourceScopes = grantableResourceScopes(requested, account.type)
      .filter((s) => !v1Only || parseResourceScope(s)?.version === 1);
    const refused = asked.filter((s) => parseResourceScope(s) && !resourceScopes.includes(s));
    if (resourceScopes.length) grant.addResourceScope(fhirBase, resourceScopes.join(' '));
    if (refused.length) grant.rejectResourceScope(fhirBase, refused.join(' '));
    const grantId = await grant.save();
    contexts.setGrantContext(grantId, context);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: account.id }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }

  /** Staff sign-in for the staff console: choose a staff account; no consent step (first-party). */
  async function staffLogin(req: IncomingMessage, res: ServerResponse, details: InteractionLike, url: URL) {
    const chosen = url.searchParams.get('account');
    const account = chosen ? deps.staff.get(chosen) : undefined;
    if (!account) {
      return sendHtml(res, chosen ? 400 : 200, staffChooserPage({
        action: `${issuerPath}/interaction/${details.uid}`,
        staff: [...deps.staff.values()],
        ...(chosen ? { error: 'That staff account does not exist. Choose one from the list.' } : {}),
      }));
    }
    await releaseOtherSession(details, account.id);
    const grant = new provider.Grant({ accountId: account.id, clientId: STAFF_CLIENT_ID });
    const asked = splitScope(details.params.scope).filter((s) => s === 'openid' || s === STAFF_SCOPE || s === 'fhirUser');
    grant.addOIDCScope(asked.join(' '));
    grant.addOIDCClaims(['name', 'roles', 'fhirUser']);
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { login: { accountId: account.id }, consent: { grantId } }, { mergeWithLastSubmission: false });
  }

  function fail(req: IncomingMessage, res: ServerResponse, error: string, description: string) {
    return provider.interactionFinished(req, res, { error, error_description: description }, { mergeWithLastSubmission: false });
  }

  async function ehrLaunch(req: IncomingMessage, res: ServerResponse, details: InteractionLike) {
    const launchId = param(details, 'launch');
    const launch = launchId ? contexts.findLaunch(launchId) : undefined;
    if (!launch) return fail(req, res, 'invalid_request', 'launch parameter is missing, unknown or expired');
    const practitioner = accounts.get(launch.practitionerId);
    if (!practitioner) return fail(req, res, 'invalid_request', 'launch practitioner is unknown');
    // The launch id names the context; the EHR's own session says who is at the keyboard.
    if (deps.ehrSessions.userOf(req.headers.cookie) !== practitioner.id) {
      return fail(req, res, 'login_required', 'sign in at the EHR as the practitioner who launched the app');
    }
    if (launch.uses > 0 && faultApplies(deps.faults.knobs, 'singleUseLaunch', { clientId: param(details, 'client_id') })) {
      deps.faults.onFault('singleUseLaunch');
      return fail(req, res, 'invalid_request', 'this launch was already used; launch the app again from the EHR');
    }
    launch.uses += 1;
    return finishWithGrant(req, res, details, practitioner, {
      fhirUser: practitioner.fhirUser,
      patient: launch.patientId,
      ...(launch.encounterId ? { encounter: launch.encounterId } : {}),
      needPatientBanner: false,
    });
  }

  function consentView(details: InteractionLike, account: SandboxAccount, error?: string): string {
    const requested = splitScope(details.params.scope);
    const granted = new Set([
      ...requested.filter((s) => STATIC_SCOPES.has(s)),
      ...grantableResourceScopes(requested, account.type),
    ]);
    const needsPatientChoice = requested.includes('launch/patient') && account.type === 'Practitioner';
    return consentPage({
      action: `${issuerPath}/interaction/${details.uid}/confirm`,
      chooserHref: `${issuerPath}/interaction/${details.uid}`,
      clientName: deps.clientNames.get(param(details, 'client_id') ?? '') ?? 'An app',
      account,
      requested,
      granted,
      ...(needsPatientChoice ? { patientChoices: accounts.patients } : {}),
      ...(error ? { error } : {}),
    });
  }

  async function confirm(req: IncomingMessage, res: ServerResponse, details: InteractionLike) {
    const form = await readForm(req);
    const account = accounts.get(form.get('account') ?? '');
    if (!account) return sendHtml(res, 400, messagePage('Choose who you are', 'That person is not in the sandbox.'));
    if (form.get('decision') !== 'approve') {
      return fail(req, res, 'access_denied', 'The user denied the request');
    }
    const requested = splitScope(details.params.scope);
    let patient: string | undefined;
    if (requested.includes('launch/patient')) {
      // A patient opens their own record, a related person the record of the patient they are
      // related to; a practitioner picks one.
      patient = account.type === 'Patient' ? account.id : account.type === 'RelatedPerson' ? account.relatedPatientId : form.get('patient') ?? undefined;
      if (!patient || accounts.get(patient)?.type !== 'Patient') {
        return sendHtml(res, 400, consentView(details, account, 'Choose the patient to open.'));
      }
    }
    return finishWithGrant(req, res, details, account, {
      fhirUser: account.fhirUser,
      ...(patient ? { patient } : {}),
      needPatientBanner: true,
    });
  }

  /** Handles a request under `/interaction/`; `subpath` is relative to the issuer path. */
  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, subpath: string, url: URL) {
    const match = PATH.exec(subpath);
    if (!match) return sendHtml(res, 404, messagePage('Not found', 'There is no such page.'));
    let details: InteractionLike;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return sendHtml(res, 400, messagePage('Sign-in expired', 'This sign-in has expired or was already used. Start again from the app.'));
    }
    if (details.uid !== match[1]) {
      return sendHtml(res, 400, messagePage('Sign-in mismatch', 'This page belongs to another sign-in. Start again from the app.'));
    }
    try {
      const denial = takeFault(deps.faults.knobs, 'denyWithDescription', { clientId: param(details, 'client_id') }, deps.faults.onFault);
      if (denial) return await fail(req, res, 'access_denied', denial.description);
      if (param(details, 'client_id') === STAFF_CLIENT_ID) return await staffLogin(req, res, details, url);
      if (splitScope(details.params.scope).includes('launch')) return await ehrLaunch(req, res, details);
      if (match[2]) {
        if (req.method !== 'POST') return sendHtml(res, 405, messagePage('Not allowed', 'Use the form to answer.'));
        return await confirm(req, res, details);
      }
      const chosen = url.searchParams.get('account');
      const account = chosen ? accounts.get(chosen) : undefined;
      if (!account) {
        return sendHtml(res, chosen ? 400 : 200, chooserPage({
          action: `${issuerPath}/interaction/${details.uid}`,
          clientName: deps.clientNames.get(param(details, 'client_id') ?? '') ?? 'An app',
          patients: accounts.patients,
          practitioners: accounts.practitioners,
          relatedPersons: accounts.relatedPersons,
          ...(details.session?.accountId ? { selected: details.session.accountId } : {}),
          ...(chosen ? { error: 'That person is not in the sandbox. Choose someone from the list.' } : {}),
        }));
      }
      return sendHtml(res, 200, consentView(details, account));
    } catch (error) {
      if (error instanceof BodyError) return sendHtml(res, 413, messagePage('Too large', 'The form was too large.'));
      throw error;
    }
  };
}

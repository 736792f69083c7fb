/**
 * The inbox's routes (inbox-page.ts renders them):
 *   GET  /ehr/inbox                       the signed-in clinician's messages (or a sign-in picker)
 *   GET  /ehr/inbox/sign-in?practitioner= signs in as that practitioner, like the EHR page's Launch
 *   GET  /ehr/inbox/{id}                  one message and its thread; opening it marks it read
 *   POST /ehr/inbox/{id}/reply            a reply (form field `text`) in the thread
 * The EHR session cookie says who is signed in; a reply is refused without one, or from another
 * origin (a cross-site form post), and a message the clinician is not party to answers 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Accounts, EhrSessions } from '../auth';
import type { FhirServer } from '../contracts';
import { FhirError } from '../fhir/outcome';
import { messagePage, sendHtml } from './html';
import { inboxList, inboxMessage, inboxSignIn, type InboxNames } from './inbox-page';
import { BodyError, readForm } from './request-body';

export interface InboxRoutesOptions {
  origin: string;
  accounts: Accounts;
  ehrSessions: EhrSessions;
  fhir: FhirServer;
}

const MESSAGE_PATH = /^\/ehr\/inbox\/([A-Za-z0-9\-.]{1,64})(\/reply)?$/;

export function isInboxPath(pathname: string): boolean {
  return pathname === '/ehr/inbox' || pathname === '/ehr/inbox/sign-in' || MESSAGE_PATH.test(pathname);
}

/** Handles an inbox request (isInboxPath was true). */
export async function inboxRoute(options: InboxRoutesOptions, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { accounts, ehrSessions, fhir } = options;
  const inbox = fhir.inbox;
  if (!inbox) return sendHtml(res, 404, messagePage('No inbox', 'This EHR has no message inbox.'));
  const names: InboxNames = { nameOf: (ref) => (ref ? accounts.get(ref.split('/').pop() ?? '')?.displayName : undefined) };
  if (url.pathname === '/ehr/inbox/sign-in') {
    const practitioner = accounts.get(url.searchParams.get('practitioner') ?? '');
    if (practitioner?.type !== 'Practitioner') return sendHtml(res, 400, messagePage('Choose who you are', 'Pick a practitioner from the list.', { href: '/ehr/inbox', label: 'Back to the inbox' }));
    res.statusCode = 303;
    res.setHeader('Set-Cookie', ehrSessions.signIn(practitioner.id));
    res.setHeader('Location', '/ehr/inbox');
    return void res.end();
  }
  const practitionerId = ehrSessions.userOf(req.headers.cookie);
  const who = practitionerId ? accounts.get(practitionerId)?.displayName ?? practitionerId : undefined;
  if (!practitionerId || !who) {
    if (req.method !== 'GET') return sendHtml(res, 401, messagePage('Signed out', 'Sign in to the EHR before replying.', { href: '/ehr/inbox', label: 'Sign in' }));
    return sendHtml(res, 200, inboxSignIn(accounts.practitioners));
  }
  const me = `Practitioner/${practitionerId}`;
  if (url.pathname === '/ehr/inbox') {
    if (req.method !== 'GET') return sendHtml(res, 405, messagePage('Not allowed', 'Use the links on the inbox page.'));
    return sendHtml(res, 200, inboxList(who, await inbox.list(practitionerId), names));
  }
  const [, id, reply] = MESSAGE_PATH.exec(url.pathname) ?? [];
  if (!reply) {
    const view = await inbox.open(practitionerId, id!);
    if (!view) return sendHtml(res, 404, messagePage('Not in your inbox', 'That message is not one you sent or received.', { href: '/ehr/inbox', label: 'Back to the inbox' }));
    const notice = url.searchParams.get('sent') === '1' ? { kind: 'sent' as const, text: 'Reply sent.' } : undefined;
    return sendHtml(res, 200, inboxMessage(who, me, view, names, notice));
  }
  if (req.method !== 'POST') return sendHtml(res, 405, messagePage('Not allowed', 'Send a reply with the form.'));
  const from = req.headers.origin;
  if (from !== undefined && from !== options.origin) return sendHtml(res, 403, messagePage('Refused', 'A reply must be sent from the EHR’s own page.'));
  let text = '';
  try {
    text = (await readForm(req)).get('text') ?? '';
  } catch (e) {
    if (e instanceof BodyError) return sendHtml(res, 413, messagePage('Too long', 'That reply is too long to send.', { href: `/ehr/inbox/${id}`, label: 'Back to the message' }));
    throw e;
  }
  try {
    await inbox.reply(practitionerId, id!, text);
  } catch (e) {
    if (!(e instanceof FhirError)) throw e;
    const view = await inbox.open(practitionerId, id!);
    if (!view) return sendHtml(res, 404, messagePage('Not in your inbox', 'That message is not one you sent or received.', { href: '/ehr/inbox', label: 'Back to the inbox' }));
    const why = e.outcome.issue?.[0]?.diagnostics ?? 'The reply was not accepted.';
    return sendHtml(res, e.status, inboxMessage(who, me, view, names, { kind: 'error', text: `Not sent: ${why}` }));
  }
  res.statusCode = 303;
  res.setHeader('Location', `/ehr/inbox/${id}?sent=1`);
  res.end();
}

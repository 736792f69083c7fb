import type { AuditEvent } from '@medplum/fhirtypes';

/** One line of "who looked at my record", for the patient. */
export interface AccessHistoryItem {
  id: string;
  when: string;
  who: string;
  what: string;
  outcome: 'allowed' | 'refused' | 'failed';
  category: string;
  breakGlass: boolean;
  /** The sharing choices (Consent ids) that decided what this access was shown or refused. */
  consents: string[];
  /** The event's subtype code (restful interaction or app event), for access-visits.ts. */
  subtype: string;
  /** The resource type it touched, if any. */
  resourceType?: string;
  /** Why it was refused or how it ended (a proxy OperationOutcome code, `http-200`, ...). */
  outcomeCode?: string;
}

const WHAT: Record<string, string> = {
  read: 'opened', vread: 'opened a version of', 'history-instance': 'looked at the history of', 'search-type': 'looked through',
  create: 'added to', update: 'changed', delete: 'removed from', 'ehr-launch': 'opened your record from the EHR', 'standalone-launch': 'signed in',
  'sign-out': 'signed out', 'break-glass': 'started emergency access to your record', 'break-glass-end': 'ended emergency access to your record', 'break-glass-refused': 'was refused emergency access to your record', 'sync-conflict-resolution': 'settled a conflicting change to',
  'share-link-view': 'opened a share link you made', 'share-link-create': 'made a share link', 'share-link-revoke': 'ended a share link',
  batch: 'sent a batch request for',
  'care-team-dashboard': 'saw you listed on their care-team dashboard',
  'sync-changes-held': 'left unsent changes to be kept when their session ended', 'sync-changes-taken': 'took back unsent changes to send', 'sync-changes-discarded': 'had unsent changes discarded, as your sharing choices no longer allow them',
  // The staff console (lib/staff): support and auditors act on a session, never on the record's content.
  'staff-view-launch': 'looked at the technical details of a Housecall session', 'staff-end-launch': 'ended a Housecall session',
  'staff-release-held': 'kept unsent changes for the next session', 'staff-discard-held': 'discarded unsent changes', 'staff-reveal-id': 'looked up who a Housecall session belonged to',
  'consent-revoke': 'revoked a sharing choice', 'consent-entered-in-error': 'marked a sharing choice as recorded in error', 'consent-share-link': 'recorded the permission behind a share link',
};

/** Views through a partner share link have no signed-in user; say whose link it was instead. */
const SHARE_LINK_CLIENT = 'housecall-share-link';

function typeOf(event: AuditEvent): string | undefined {
  const e = event.entity?.find((x) => x.role?.code !== '1' && x.role?.code !== '13');
  const ref = e?.what?.reference;
  if (ref) return ref.startsWith('urn:') ? undefined : ref.split('/')[0];
  if (e?.query) return Buffer.from(e.query, 'base64').toString('utf8').split('?')[0];
  return undefined;
}

/** Turns stored AuditEvents into plain lines; it names resource types, never their content. */
export function toAccessHistory(events: AuditEvent[]): AccessHistoryItem[] {
  return events.map((e) => {
    const sub = e.subtype?.[0]?.code ?? 'access';
    const type = typeOf(e);
    const byLink = e.agent?.some((a) => a.who?.identifier?.value === SHARE_LINK_CLIENT) ?? false;
    const requestor = e.agent?.find((a) => a.requestor)?.who;
    const staff = requestor?.identifier?.system === 'urn:housecall:staff' ? `Housecall staff: ${requestor.display ?? 'unnamed'}` : undefined;
    const who = requestor?.reference ?? staff ?? (byLink ? 'A clinician with your share link' : 'Someone using Housecall');
    return {
      id: e.id ?? '',
      when: e.recorded ?? '',
      who,
      what: `${WHAT[sub] ?? sub}${type ? ` ${type} records` : ''}`,
      outcome: e.outcome === '0' ? 'allowed' : e.outcome === '4' ? 'refused' : 'failed',
      category: e.type?.code ?? 'access',
      breakGlass: (e.purposeOfEvent ?? []).some((p) => p.coding?.some((c) => c.code === 'BTG')),
      consents: (e.entity ?? []).flatMap((x) => (x.role?.code === '13' && x.what?.reference?.startsWith('Consent/') ? [x.what.reference.split('/')[1] ?? ''] : [])),
      subtype: sub,
      ...(type ? { resourceType: type } : {}),
      ...(e.outcomeDesc ? { outcomeCode: e.outcomeDesc } : {}),
    };
  });
}

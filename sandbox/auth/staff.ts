/**
 * The sandbox as the organisation's staff identity provider: synthetic staff accounts for the
 * Housecall staff console (client `housecall-staff`), each with a `roles` claim released under
 * the `staff` scope. They are not EHR users: they have no FHIR account (their tokens reach no
 * FHIR data; introspection knows only EHR accounts) and SMART clients cannot sign in as them.
 *
 * As real identity providers do, the claim is not always tidy: one account sends its roles as a
 * space-separated string, another carries a role Housecall does not know, and one has none.
 */
import { html, page } from '../pages/html';
import type { Accounts } from './accounts';

export const STAFF_CLIENT_ID = 'housecall-staff';
export const STAFF_SCOPE = 'staff';

export interface StaffAccount {
  id: string;
  name: string;
  /** As the identity provider sends it: an array, or a space-separated string. */
  roles: string[] | string;
  /** Relative `Practitioner/{id}` for staff who are also clinicians. */
  fhirUser?: string;
}

/** The staff accounts; the clinical lead is the seed's first practitioner. */
export function createStaffAccounts(accounts: Accounts): Map<string, StaffAccount> {
  const lead = accounts.practitioners[0];
  const list: StaffAccount[] = [
    { id: 'staff-support-1', name: 'Robin Okafor', roles: ['support'] },
    { id: 'staff-auditor-1', name: 'Sam Achterberg', roles: ['auditor'] },
    { id: 'staff-lead-1', name: lead?.displayName ?? 'Clinical Lead', roles: ['clinical-lead'], ...(lead ? { fhirUser: lead.fhirUser } : {}) },
    { id: 'staff-support-auditor-1', name: 'Noor Valdés', roles: 'support auditor' },
    { id: 'staff-helpdesk-1', name: 'Kai Brennan', roles: ['support', 'helpdesk-admin'] },
    { id: 'staff-norole-1', name: 'Lee Marchetti', roles: [] },
  ];
  return new Map(list.map((a) => [a.id, a]));
}

/** The claims a staff account's id_token and userinfo carry. */
export function staffClaims(account: StaffAccount): Record<string, unknown> {
  return { sub: account.id, name: account.name, roles: account.roles, ...(account.fhirUser ? { fhirUser: account.fhirUser } : {}) };
}

/** The staff sign-in page: choose a staff account (synthetic; no passwords in the sandbox). */
export function staffChooserPage(view: { action: string; staff: StaffAccount[]; error?: string }): string {
  const rows = view.staff.map((a) => {
    const roles = Array.isArray(a.roles) ? a.roles.join(', ') : a.roles;
    return html`<li><button type="submit" name="account" value="${a.id}" data-testid="staff-login-${a.id}">${a.name}</button> <span class="muted">${roles || 'no roles'}</span></li>`;
  });
  return page({
    title: 'Staff sign-in · Sandbox EHR',
    body: html`<main>
<h1>Staff sign-in</h1>
<p>The organisation's staff identity provider, for the Housecall staff console. Everyone listed here is fictional.</p>
${view.error ? html`<p class="error" role="alert">${view.error}</p>` : ''}
<form method="get" action="${view.action}" class="card"><ul class="scopes" data-testid="staff-login-list">${rows}</ul></form>
</main>`,
  });
}

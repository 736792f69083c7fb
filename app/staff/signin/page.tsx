import { redirect } from 'next/navigation';
import { headers } from 'next/headers';
import { readStaffSession, safeStaffReturnPath } from '@/lib/staff';
import { STAFF_PROVIDER_ID, staffSignIn, staffSignInConfigured } from '@/lib/staff/auth';

export const dynamic = 'force-dynamic';

const ERRORS: Record<string, string> = {
  AccessDenied: 'Your account has no Housecall staff role. Ask your organisation’s identity team to give you one, then sign in again.',
  Configuration: 'Staff sign-in is not set up correctly on this deployment. Tell your Housecall administrator.',
};

/** The staff console's sign-in: one button that goes to the organisation's identity provider. */
export default async function StaffSignIn({ searchParams }: { searchParams: Promise<{ next?: string | string[]; error?: string | string[] }> }) {
  const { next, error } = await searchParams;
  const returnTo = safeStaffReturnPath(typeof next === 'string' ? next : null);
  if (await readStaffSession((await headers()).get('cookie'))) redirect(returnTo);
  const configured = staffSignInConfigured();
  async function signInAction() {
    'use server';
    await staffSignIn(STAFF_PROVIDER_ID, { redirectTo: returnTo });
  }
  const problem = typeof error === 'string' ? (ERRORS[error] ?? 'Sign-in did not complete. Try again; if it keeps failing, tell your Housecall administrator.') : null;
  return (
    <main className="mx-auto max-w-xl p-4 sm:p-6" data-testid="staff-signin">
      <div className="rounded-xl border border-gray-200 bg-white p-6">
        <h1 className="text-xl font-semibold">Housecall staff console</h1>
        <p className="mt-3 text-gray-700">For support staff, clinical leads and auditors. Sign in with your organisation account.</p>
        {problem ? <p className="mt-3 rounded-lg bg-amber-50 p-3 text-amber-900" role="alert" data-testid="staff-signin-error">{problem}</p> : null}
        {configured ? (
          <form action={signInAction} className="mt-4">
            <button type="submit" className="min-h-11 rounded-lg bg-blue-700 px-4 text-white" data-testid="staff-signin-button">Sign in with your organisation</button>
          </form>
        ) : (
          <p className="mt-4 rounded-lg bg-gray-100 p-3 text-gray-800" data-testid="staff-signin-unconfigured">Staff sign-in is not configured on this deployment (HOUSECALL_STAFF_ISSUER).</p>
        )}
      </div>
    </main>
  );
}

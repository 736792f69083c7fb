import { headers } from 'next/headers';
import { readStaffSession } from '@/lib/staff';
import { staffSignOut } from '@/lib/staff/auth';

export const dynamic = 'force-dynamic';

/** The staff console's frame: who is signed in, their roles, and sign out. Pages check roles themselves. */
export default async function StaffLayout({ children }: { children: React.ReactNode }) {
  const session = await readStaffSession((await headers()).get('cookie'));
  async function signOutAction() {
    'use server';
    await staffSignOut({ redirectTo: '/staff/signin' });
  }
  return (
    <div className="min-h-screen bg-gray-50">
      <header className="flex flex-wrap items-center justify-between gap-2 border-b border-gray-200 bg-white px-4 py-2">
        <a href="/staff" className="inline-flex min-h-11 items-center font-semibold">Housecall staff</a>
        {session ? (
          <div className="flex items-center gap-3 text-sm">
            <span data-testid="staff-who">{session.name} · {session.roles.join(', ')}</span>
            <form action={signOutAction}>
              <button type="submit" className="min-h-11 rounded-lg border border-gray-300 px-3" data-testid="staff-signout">Sign out</button>
            </form>
          </div>
        ) : null}
      </header>
      {children}
    </div>
  );
}

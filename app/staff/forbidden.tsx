/** What a signed-in staff member sees on a page their role does not allow (status 403). */
export default function StaffForbidden() {
  return (
    <main className="mx-auto max-w-xl p-4 sm:p-6" data-testid="staff-forbidden">
      <div className="rounded-xl border border-gray-200 bg-white p-6">
        <h1 className="text-xl font-semibold">Your role does not allow this page</h1>
        <p className="mt-3 text-gray-700">This part of the staff console is for another role. If you need it, ask your organisation’s identity team; your access is decided by the roles they give your account.</p>
        <p className="mt-4"><a className="inline-flex min-h-11 items-center text-blue-700 underline" href="/staff">Back to the staff console</a></p>
      </div>
    </main>
  );
}

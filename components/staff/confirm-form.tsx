/**
 * A staff action as a plain form: a reason (it goes into the audit trail) and an explicit
 * confirmation, both required by the browser and checked again by the server.
 */
export function ConfirmForm({ action, testId, label, confirmText, hidden, danger }: { action: string; testId: string; label: string; confirmText: string; hidden?: Record<string, string>; danger?: boolean }) {
  return (
    <form method="post" action={action} className="mt-3 space-y-2 rounded-lg border border-gray-200 bg-white p-3" data-testid={testId}>
      {Object.entries(hidden ?? {}).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
      <label className="block text-sm font-medium" htmlFor={`${testId}-reason`}>Reason (recorded in the audit trail; no clinical details)</label>
      <input id={`${testId}-reason`} name="reason" required minLength={3} maxLength={200} className="min-h-11 w-full rounded-lg border border-gray-300 px-3" data-testid={`${testId}-reason`} />
      <label className="flex min-h-11 items-center gap-2 text-sm">
        <input type="checkbox" name="confirm" value="yes" required className="h-11 w-11 shrink-0" data-testid={`${testId}-confirm`} />
        {confirmText}
      </label>
      <button type="submit" className={`min-h-11 rounded-lg px-4 text-white ${danger ? 'bg-red-700' : 'bg-blue-700'}`} data-testid={`${testId}-submit`}>{label}</button>
    </form>
  );
}

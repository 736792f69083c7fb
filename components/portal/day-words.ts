/** A result day (YYYY-MM-DD as the source wrote it) in words: "Today", "Yesterday", else "31 October 2026". */
export function dayWords(day: string, now: number): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return 'Date not given';
  const today = new Date(now).toISOString().slice(0, 10);
  const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
  if (day === today) return 'Today';
  if (day === yesterday) return 'Yesterday';
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}

/** Times as UTC minutes, ages in words: the same for every reader of the staff console. */
export function when(t: number | null | undefined): string {
  return t == null ? '—' : `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function age(ms: number | null | undefined): string {
  if (ms == null) return 'empty';
  const m = Math.round(ms / 60_000);
  if (m < 1) return 'under a minute';
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} days`;
}

const FLAG_STYLE: Record<string, string> = {
  critical: 'bg-red-100 text-red-900',
  high: 'bg-amber-100 text-amber-900',
  low: 'bg-sky-100 text-sky-900',
  abnormal: 'bg-amber-100 text-amber-900',
  new: 'bg-violet-100 text-violet-900',
  inactive: 'bg-gray-200 text-gray-800',
  'entered-in-error': 'bg-gray-200 text-gray-800 line-through',
};

/** A small word badge (never colour alone): "high", "new", "entered in error". */
export function FlagBadge({ kind, label }: { kind: string; label?: string }) {
  return (
    <span className={`inline-block rounded px-2 py-0.5 text-xs font-semibold whitespace-nowrap ${FLAG_STYLE[kind] ?? 'bg-gray-100 text-gray-800'}`} data-testid="flag" data-flag={kind}>
      {label ?? kind.replaceAll('-', ' ')}
    </span>
  );
}

/**
 * Plain words for outbox entries on the portal's screens: which detail a change touched, what
 * it was and is, why it could not be sent, and how much unsent work a sign-out would erase.
 * Pure, so the words are tested without a browser.
 */
import type { Address, ContactPoint, Resource } from '@medplum/fhirtypes';
import { diffFields } from '@/lib/sync/diff-fields';
import { LIST_KEYS } from '@/lib/sync/list-keys';
import type { OutboxEntry, OutboxSummary } from '@/lib/sync';

const FIELD_NAMES: Record<string, string> = {
  'telecom[phone|mobile]': 'Mobile phone',
  'telecom[phone|home]': 'Home phone',
  'telecom[email|home]': 'Email',
  'address[home]': 'Home address',
  communication: 'Preferred language',
};

/** The unit a field path belongs to: `telecom[phone|mobile].value` → `telecom[phone|mobile]`. */
export function unitOf(path: string): string {
  const list = /^([a-z]+\[[^\]]+\])/i.exec(path);
  return list ? list[1]! : path.split(/[.[]/)[0]!;
}

/** The person's name for a detail (`Mobile phone`), or the path itself when there is none. */
export function fieldLabel(path: string): string {
  return FIELD_NAMES[unitOf(path)] ?? FIELD_NAMES[path] ?? path;
}

/** A value as a person reads it: a phone's number, an address on one line, `(none)`. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(none)';
  if (typeof value !== 'object') return String(value);
  const v = value as { value?: string; line?: string[]; city?: string; postalCode?: string; reference?: string; text?: string };
  if (v.value !== undefined) return v.value;
  if (v.text !== undefined) return v.text;
  if (v.reference !== undefined) return v.reference;
  if (v.line || v.city) return [...(v.line ?? []), v.city, v.postalCode].filter(Boolean).join(', ');
  return JSON.stringify(value);
}

/** The value of a unit in a resource (`telecom[phone|mobile]` → that ContactPoint). */
export function unitValue(resource: Resource | null | undefined, unit: string): unknown {
  if (!resource) return undefined;
  const r = resource as unknown as Record<string, unknown>;
  const m = /^([a-z]+)\[([^\]]+)\]$/i.exec(unit);
  if (!m) return r[unit];
  const keyFn = LIST_KEYS[m[1]!];
  const list = r[m[1]!];
  return keyFn && Array.isArray(list) ? list.find((e) => keyFn(e) === m[2]) : undefined;
}

/** What one change did, detail by detail: before (the copy it was made on) and after. */
export function changedFields(entry: Pick<OutboxEntry, 'baseCopy' | 'payload' | 'op'>): { unit: string; label: string; before: string; after: string }[] {
  if (entry.op === 'delete') return [];
  const units = [...new Set(diffFields(entry.baseCopy, entry.payload, entry.baseCopy ?? null).map((f) => unitOf(f.path)))];
  return units.map((unit) => ({ unit, label: fieldLabel(unit), before: showValue(unitValue(entry.baseCopy, unit)), after: showValue(unitValue(entry.payload, unit)) }));
}

export { failureWords } from './failure-words';

export { unsentWork } from './unsent-work';

/** How a conflicting detail can be edited in a form, or null when it is shown only. */
export type EditableField = { kind: 'telecom'; system: ContactPoint['system']; use: ContactPoint['use'] } | { kind: 'address'; use: Address['use'] } | { kind: 'text'; key: string };

export function editableField(unit: string): EditableField | null {
  const telecom = /^telecom\[([a-z]+)\|([a-z]+)\]$/.exec(unit);
  if (telecom) return { kind: 'telecom', system: telecom[1] as ContactPoint['system'], use: telecom[2] as ContactPoint['use'] };
  const address = /^address\[([a-z]+)\]$/.exec(unit);
  if (address) return { kind: 'address', use: address[1] as Address['use'] };
  if (/^[a-zA-Z]+$/.test(unit)) return { kind: 'text', key: unit };
  return null;
}

/** The text a person edits for a detail (an address as `street, city, postal code`). */
export function fieldText(resource: Resource | null | undefined, unit: string): string {
  const value = unitValue(resource, unit);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  const v = value as { value?: string; line?: string[]; city?: string; postalCode?: string; reference?: string; text?: string };
  if (v.value !== undefined) return v.value;
  if (v.text !== undefined) return v.text;
  if (v.reference !== undefined) return v.reference;
  return [(v.line ?? []).join(' '), v.city ?? '', v.postalCode ?? ''].join(', ').replace(/(, )+$/, '');
}

/** A copy of `resource` with one detail set from what the person typed (empty text removes it). */
export function withFieldText<T extends Resource>(resource: T, unit: string, text: string): T {
  const field = editableField(unit);
  const copy = structuredClone(resource) as T & Record<string, unknown>;
  const value = text.trim();
  if (!field) return copy;
  if (field.kind === 'text') {
    if (value) copy[field.key] = value;
    else delete copy[field.key];
    return copy;
  }
  const listName = field.kind === 'telecom' ? 'telecom' : 'address';
  const keyFn = LIST_KEYS[listName]!;
  const key = unit.slice(listName.length + 1, -1);
  const list = (Array.isArray(copy[listName]) ? (copy[listName] as unknown[]) : []).slice();
  const at = list.findIndex((e) => keyFn(e) === key);
  let entry: unknown;
  if (field.kind === 'telecom') entry = value ? { ...((list[at] as ContactPoint | undefined) ?? { system: field.system, use: field.use }), value } : undefined;
  else {
    const [line = '', city = '', postalCode = ''] = value.split(/\s*,\s*/);
    const old = (list[at] as Address | undefined) ?? { use: field.use };
    entry = value ? { ...old, line: line ? [line] : [], city, postalCode } : undefined;
  }
  if (at >= 0) {
    if (entry === undefined) list.splice(at, 1);
    else list[at] = entry;
  } else if (entry !== undefined) list.push(entry);
  if (list.length) copy[listName] = list;
  else delete copy[listName];
  return copy;
}

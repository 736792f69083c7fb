import type { Bundle, Resource } from '@medplum/fhirtypes';
import { arr, dateMs, obj, str } from './datatypes';
import type { NameDirectory } from './people';
import { provenanceOf, type Provenance } from './provenance';
import { entryState, type EntryState } from './status';

/** Where the resources came from and when Housecall fetched them. */
export interface ComposeContext {
  /** The issuer's display name, e.g. "Sandbox EHR". */
  source: string;
  /** ISO instant the response arrived. */
  fetchedAt: string;
  /** Names of the people and places the resources reference without a display (people.ts). */
  names?: NameDirectory;
}

export interface ListOptions {
  /** Include inactive and entered-in-error entries (detail views, on request). */
  includeInactive?: boolean;
}

/** One row of any list: problems, medications, notes, tasks … */
export interface ListItemView {
  key: string;
  title: string;
  detail?: string;
  /** Longer text for the detail view (a note's content), capped. */
  body?: string;
  /** The date the entry is about (onset, authored, performed …), for sorting and display. */
  date?: string;
  flag?: 'high' | 'low' | 'critical' | 'abnormal';
  state: EntryState;
  /** The source's own status word when it is worth showing ("on-hold", "stopped" …). */
  status?: string;
  provenance: Provenance;
}

export { resourcesOf } from './entries';

export { answerGap } from './answer-gap';

/** A list key that is unique within one list and stable between renders: type/id, else its position. */
export function itemKey(r: Resource, index: number): string {
  return `${r.resourceType}/${str(r.id) ?? `no-id-${index}`}#${index}`;
}

/** Common fields of a list item built from one resource. */
export function baseItem(r: Resource, index: number, ctx: ComposeContext): Pick<ListItemView, 'key' | 'state' | 'provenance'> {
  return { key: itemKey(r, index), state: entryState(r), provenance: provenanceOf(r, ctx.source, ctx.fetchedAt) };
}

/** Drops hidden entries unless asked for, and sorts newest first (undated last, order kept). */
export function finishList(items: ListItemView[], opts: ListOptions = {}, sort = true): ListItemView[] {
  const shown = opts.includeInactive ? items : items.filter((i) => i.state === 'active');
  if (!sort) return shown;
  return shown
    .map((item, i) => ({ item, i }))
    .sort((a, b) => dateMs(b.item.date) - dateMs(a.item.date) || a.i - b.i)
    .map((x) => x.item);
}

/** How many entries a list hides from its summary. */
export function hiddenCount(all: ListItemView[]): number {
  return all.filter((i) => i.state !== 'active').length;
}

/** Merges lists built from separate responses, newest first (stable for undated entries). */
export function mergeLists(lists: ListItemView[][]): ListItemView[] {
  if (lists.length === 1) return lists[0] ?? [];
  return lists
    .flat()
    .map((item, i) => ({ item, i }))
    .sort((a, b) => dateMs(b.item.date) - dateMs(a.item.date) || a.i - b.i)
    .map((x) => x.item);
}

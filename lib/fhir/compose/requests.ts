/**
 * What the chart asks the EHR for, without the view models the answers become (sections.ts
 * adds those): the browser needs these paths and names on every chart and portal page, and the
 * builders only where a list is shown.
 */

export * from './search-paths';

/** The chart's list sections, in the order the chart offers them, with their titles. */
export const LIST_SECTION_TITLES = {
  problems: 'Problems',
  medications: 'Medications',
  allergies: 'Allergies',
  encounters: 'Encounters',
  notes: 'Notes and documents',
  'care-plans': 'Care plans',
  tasks: 'Tasks',
  immunizations: 'Immunizations',
  procedures: 'Procedures',
} as const;

export type ListSectionId = keyof typeof LIST_SECTION_TITLES;
export type SectionId = ListSectionId | 'results' | 'vitals';
export const LIST_SECTION_IDS = Object.keys(LIST_SECTION_TITLES) as ListSectionId[];

export function isSectionId(v: string): v is SectionId {
  return v === 'results' || v === 'vitals' || Object.hasOwn(LIST_SECTION_TITLES, v);
}

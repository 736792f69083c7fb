/**
 * The patients of a care-team panel: the current members of the practitioner's FHIR `Group`s.
 * Real panels are untidy, so a member is left out (and counted) when it is marked `inactive`,
 * its period has ended or not begun, it names no `Patient/{id}` reference (an identifier only, a
 * display only), or it repeats one already listed. A `Group` that is not active, or not an
 * actual list of people, contributes nothing. Pure.
 */
import type { Bundle, Group } from '@medplum/fhirtypes';
import { dateMs, resourcesOf } from '../fhir/compose';

const PATIENT_ID = /^(?:.*\/)?Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/.*)?$/;

export interface PanelMembers {
  patientIds: string[];
  /** Entries left out (inactive, ended, unidentifiable, repeated). */
  skipped: number;
  /** How many panels (Groups) were read. */
  panels: number;
}

export function panelMembers(bundle: Bundle | undefined, now: Date): PanelMembers {
  const ids: string[] = [];
  let skipped = 0;
  const groups = resourcesOf<Group>(bundle, 'Group').filter((g) => g.active !== false && g.actual !== false && g.type === 'person');
  const t = now.getTime();
  for (const group of groups) {
    for (const member of group.member ?? []) {
      const id = PATIENT_ID.exec(member.entity?.reference ?? '')?.[1];
      const started = !member.period?.start || dateMs(member.period.start) <= t;
      const ended = member.period?.end !== undefined && dateMs(member.period.end) < t;
      if (!id || member.inactive === true || !started || ended || ids.includes(id)) {
        skipped++;
        continue;
      }
      ids.push(id);
    }
  }
  return { patientIds: ids, skipped, panels: groups.length };
}

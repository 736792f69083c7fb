import type { CareTeamConfig } from '../smart';
import type { StaffSession } from './roles';

/**
 * Who may open the care-team dashboard: a clinical lead, or a clinician the deployment lists by
 * their verified fhirUser (smart-config.json careTeam.allowedClinicians). Either way they see
 * only their own panel (the practitioner their staff account is linked to). Pure.
 */
export function mayViewCareTeam(staff: StaffSession, config: CareTeamConfig | undefined): boolean {
  if (!config) return false;
  if (staff.roles.includes('clinical-lead')) return true;
  return staff.fhirUser !== undefined && config.allowedClinicians.includes(staff.fhirUser);
}

import type { AuditEvent } from '@medplum/fhirtypes';

/**
 * AuditEvents shaped after IHE Basic Audit Log Patterns (BALP) for RESTful access: who (the
 * user and the app), what (the patient and the resource or search), when, why (purpose of
 * use) and how it ended. Identifiers and query parameters only: never resource content.
 */
export type AuditCategory = 'access' | 'launch' | 'session' | 'consent' | 'break-glass' | 'conflict-resolution';
export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditInput {
  category: AuditCategory;
  outcome: AuditOutcome;
  /** Stable reason or outcome code (e.g. a proxy OperationOutcome code). */
  outcomeCode?: string;
  /** FHIR restful interaction: read, vread, search-type, history-instance, create, update, delete; or an app event. */
  subtype: string;
  actor: { fhirUser: string | null; clientId: string; issuerId: string };
  patientId: string | null;
  launchId: string | null;
  entity?: { reference?: string; query?: string };
  purposeOfUse?: string[];
  /**
   * The Consents (id and version) that decided a consent judgement in this event: each becomes
   * an entity, so the patient's history and a reviewer can see which choice withheld or let
   * through what (checklist §7.2: AuthZconsent with Consent/{id}/_history/{v}).
   */
  consents?: { id: string; version?: string }[];
  /** Free-text reason a person gave (break-glass); must not contain clinical data. */
  reasonText?: string;
  recorded: Date;
  id: string;
}

const ACTION: Record<string, AuditEvent['action']> = {
  read: 'R', vread: 'R', 'history-instance': 'R', 'search-type': 'E', create: 'C', update: 'U', delete: 'D',
};
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
/** DICOM event type codes BALP uses for emergency overrides, alongside Housecall's own subtype. */
const DICOM_SUBTYPE: Record<string, { system: string; code: string; display: string }> = {
  'break-glass': { system: DCM, code: '110127', display: 'Emergency Override Started' },
  'break-glass-end': { system: DCM, code: '110138', display: 'Emergency Override Stopped' },
};
const OUTCOME: Record<AuditOutcome, AuditEvent['outcome']> = { success: '0', denied: '4', failure: '8' };

export function toAuditEvent(input: AuditInput): AuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: input.id,
    type: input.category === 'access'
      ? { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' }
      : input.subtype.startsWith('break-glass')
        ? { system: DCM, code: '110113', display: 'Security Alert' }
        : { system: 'urn:housecall:audit-category', code: input.category },
    subtype: [
      { system: input.category === 'access' ? 'http://hl7.org/fhir/restful-interaction' : 'urn:housecall:audit-subtype', code: input.subtype },
      ...(DICOM_SUBTYPE[input.subtype] ? [DICOM_SUBTYPE[input.subtype]!] : []),
    ],
    action: ACTION[input.subtype] ?? 'E',
    recorded: input.recorded.toISOString(),
    outcome: OUTCOME[input.outcome],
    ...(input.outcomeCode ? { outcomeDesc: input.outcomeCode } : {}),
    ...(input.purposeOfUse?.length ? { purposeOfEvent: input.purposeOfUse.map((code) => ({ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code }] })) } : {}),
    agent: [
      {
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP', display: 'information recipient' }] },
        who: input.actor.fhirUser ? { reference: input.actor.fhirUser } : { display: 'unknown user' },
        requestor: true,
      },
      {
        type: { coding: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110150', display: 'Application' }] },
        who: { identifier: { system: `urn:housecall:client:${input.actor.issuerId}`, value: input.actor.clientId } },
        requestor: false,
      },
    ],
    source: { observer: { display: 'Housecall' }, type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '4', display: 'Application Server' }] },
    entity: [...entities(input), ...(input.consents ?? []).map(consentEntity)],
    ...(input.reasonText ? { extension: [{ url: 'urn:housecall:audit-reason', valueString: input.reasonText.slice(0, 500) }] } : {}),
  };
}

function entities(input: AuditInput): NonNullable<AuditEvent['entity']> {
  return [
    ...(input.patientId ? [{ what: { reference: `Patient/${input.patientId}` }, role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '1', display: 'Patient' } }] : []),
    ...(input.entity?.reference || input.entity?.query
      ? [{
          ...(input.entity.reference ? { what: { reference: input.entity.reference } } : {}),
          ...(input.entity.query ? { query: Buffer.from(input.entity.query, 'utf8').toString('base64') } : {}),
          role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: input.entity.query ? '24' : '4', display: input.entity.query ? 'Query' : 'Domain Resource' },
        }]
      : []),
  ];
}

/** A Consent that decided: its version reference, typed as a security resource (object-role 13). */
function consentEntity(c: { id: string; version?: string }): NonNullable<AuditEvent['entity']>[number] {
  return {
    what: { reference: c.version ? `Consent/${c.id}/_history/${c.version}` : `Consent/${c.id}` },
    type: { system: 'http://terminology.hl7.org/CodeSystem/audit-entity-type', code: '2', display: 'System Object' },
    role: { system: 'http://terminology.hl7.org/CodeSystem/object-role', code: '13', display: 'Security Resource' },
  };
}

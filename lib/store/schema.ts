import type { Generated, Selectable } from 'kysely';

/** Row shapes of the server store. Times are milliseconds since the epoch. */
export interface PendingAuthorizationTable {
  /** SHA-256 of the `state` value, base64url: the state itself is never stored. */
  state_hash: string;
  browser_session_id: string;
  issuer_id: string;
  /** Sealed JSON: code verifier, nonce, launch parameter, workflow. */
  sealed: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface LaunchTable {
  id: string;
  browser_session_id: string;
  issuer_id: string;
  workflow: 'clinician' | 'patient';
  patient_id: string | null;
  encounter_id: string | null;
  fhir_user: string | null;
  /** The Practitioner a PractitionerRole user acts for (014); null otherwise. */
  acts_for: string | null;
  scope: string;
  need_patient_banner: number;
  smart_style_url: string | null;
  /** Sealed JSON: access token, refresh token, id token. */
  tokens_sealed: string;
  access_expires_at: number | null;
  created_at: number;
  updated_at: number;
  ended_at: number | null;
  end_reason: string | null;
  refresh_lease_until: number | null;
  break_glass_until: number | null;
  /** How many times a refresh replaced the tokens (013). */
  refresh_count: Generated<number>;
  last_refresh_at: number | null;
}

/** What a person read from an error page, and where it happened (013; lib/store support-store.ts). */
export interface ErrorReferenceTable {
  reference: string;
  recorded_at: number;
  /** The launch error code (lib/smart errors.ts). */
  code: string;
  issuer_id: string | null;
  browser_session_id: string | null;
  launch_id: string | null;
}

/** The latest PHI-free sync report of a launch's device (013). */
export interface LaunchClientMetricsTable {
  launch_id: string;
  /** JSON of the client's report (app/api/l/[launchId]/client-metrics/schema.ts). */
  body: string;
  reported_at: number;
}

/** A partner share link: only the SHA-256 of its token is kept. */
export interface ShareLinkTable {
  token_hash: string;
  id: string;
  launch_id: string;
  /** The issuer of the patient's launch: with patient_id, whose link it is (null: made before links were keyed by issuer and not attributable; such a link opens nothing). */
  issuer_id: string | null;
  patient_id: string;
  /** JSON array of FHIR resource types the link shows. */
  resource_types: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** The Consent the link was made from (null for links made before links had one). */
  consent_id: string | null;
  /** Why the link ended: see ShareLinkEndReason. */
  end_reason: string | null;
}

/** A person's unsent sync changes, kept for them when their launch lapsed (lib/store held-change-store.ts). */
export interface HeldChangeTable {
  /** SHA-256 of (issuer, user, patient): the owner, never in clear. */
  owner_hash: string;
  entry_id: string;
  /** Sealed JSON of the outbox entry. */
  sealed: string;
  held_at: number;
  expires_at: number;
}

export interface DraftTable {
  key_hash: string;
  sealed: string;
  updated_at: number;
}

export interface ConsentTable {
  id: string;
  /** The EHR the patient id belongs to: consents are keyed by issuer and patient (null: recorded before consents were keyed by issuer and not attributable; never listed or enforced). */
  issuer_id: string | null;
  patient_id: string;
  status: string;
  version: number;
  /** The FHIR Consent as JSON. */
  resource: string;
  updated_at: number;
  /** The id and version of the copy written to the EHR, when one was. */
  ehr_id: string | null;
  ehr_version: string | null;
  /** written | pending (not yet written; retried) | unsupported (the EHR takes no Consent writes); null before the first try. */
  ehr_state: string | null;
  /** The local `version` the EHR copy holds. */
  ehr_synced_version: number | null;
}

export interface ConsentVersionTable {
  consent_id: string;
  version: number;
  resource: string;
  recorded_at: number;
}

/** The audit log as stored; rows read back are `AuditEventTable`. */
export interface AuditEventsTable {
  /** Global order of arrival, assigned by the database (PostgreSQL identity, SQLite rowid): for listing, not for the chain. */
  seq: Generated<number>;
  id: string;
  recorded_at: number;
  /** The issuer of the launch the event belongs to (the actor's EHR): with patient_id, whose history it is. */
  issuer_id: string | null;
  patient_id: string | null;
  launch_id: string | null;
  /** access | launch | consent | break-glass | conflict-resolution | session */
  category: string;
  /** success | denied | failure */
  outcome: string;
  /** The FHIR AuditEvent as canonical JSON: identifiers and parameters, never clinical content. */
  body: string;
  /** The hash chain the row extends: one per store instance (audit_chains); `legacy` for rows written before 012. */
  chain_id: string;
  /** Position in its chain, from 1, without gaps. */
  chain_seq: number;
  prev_hash: string;
  hash: string;
  /** Which fields `hash` covers (lib/store audit-chain.ts chainHash): 1 before issuer_id existed, 2 adds it, 3 adds chain_id and chain_seq. */
  hash_version: number;
}

export type AuditEventTable = Selectable<AuditEventsTable>;

/** A hash chain of the audit log: registered in the transaction that writes its first rows. */
export interface AuditChainTable {
  chain_id: string;
  started_at: number;
  /** Where the chain was started (host and process id): for an operator reading a verify report. */
  label: string;
  /** The last chain_seq an anchor recorded: a cache for the next anchor, not trusted by the verifier. */
  anchored_seq: number;
}

/** A checkpoint tying the chains together: the heads of the chains that moved since the previous anchor, itself hash-chained. */
export interface AuditAnchorTable {
  seq: number;
  recorded_at: number;
  /** JSON `[chain_id, chain_seq, hash][]`, sorted by chain id. */
  heads: string;
  prev_hash: string;
  hash: string;
}

export interface MigrationRow {
  name: string;
  applied_at: number;
}

export interface Database {
  pending_authorizations: PendingAuthorizationTable;
  launches: LaunchTable;
  housecall_migrations: MigrationRow;
  audit_events: AuditEventsTable;
  audit_chains: AuditChainTable;
  audit_anchors: AuditAnchorTable;
  consents: ConsentTable;
  drafts: DraftTable;
  held_changes: HeldChangeTable;
  share_links: ShareLinkTable;
  consent_versions: ConsentVersionTable;
  error_references: ErrorReferenceTable;
  launch_client_metrics: LaunchClientMetricsTable;
  _generated?: Generated<number>;
}

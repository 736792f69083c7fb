import 'server-only';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

/**
 * Migrations live in code and run in order, once each, at first use of the store. Plain SQL
 * types that SQLite and PostgreSQL both accept (bigint for epoch milliseconds).
 */
interface Migration {
  name: string;
  up(db: Kysely<Database>): Promise<void>;
}

export const MIGRATIONS: Migration[] = [
  {
    name: '001-launches',
    async up(db) {
      await db.schema
        .createTable('pending_authorizations')
        .addColumn('state_hash', 'text', (c) => c.primaryKey())
        .addColumn('browser_session_id', 'text', (c) => c.notNull())
        .addColumn('issuer_id', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('consumed_at', 'bigint')
        .execute();
      await db.schema
        .createTable('launches')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('browser_session_id', 'text', (c) => c.notNull())
        .addColumn('issuer_id', 'text', (c) => c.notNull())
        .addColumn('workflow', 'text', (c) => c.notNull())
        .addColumn('patient_id', 'text')
        .addColumn('encounter_id', 'text')
        .addColumn('fhir_user', 'text')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('need_patient_banner', 'integer', (c) => c.notNull())
        .addColumn('smart_style_url', 'text')
        .addColumn('tokens_sealed', 'text', (c) => c.notNull())
        .addColumn('access_expires_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('ended_at', 'bigint')
        .addColumn('end_reason', 'text')
        .execute();
      await db.schema.createIndex('launches_by_session').on('launches').column('browser_session_id').execute();
    },
  },
  {
    name: '002-refresh-lease',
    async up(db) {
      // A lease, not a lock held across a network call: if an instance dies mid-refresh the
      // lease simply runs out and another instance may try.
      await db.schema.alterTable('launches').addColumn('refresh_lease_until', 'bigint').execute();
    },
  },
  {
    name: '004-audit-events',
    async up(db) {
      // Append-only: rows are never updated or deleted by the application. Each row's hash
      // covers its content and the previous row's hash, so an edit, a deletion or a reordering
      // breaks the chain where it happened.
      await db.schema
        .createTable('audit_events')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('recorded_at', 'bigint', (c) => c.notNull())
        .addColumn('patient_id', 'text')
        .addColumn('launch_id', 'text')
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_by_patient').on('audit_events').columns(['patient_id', 'seq']).execute();
    },
  },
  {
    name: '005-consents-and-break-glass',
    async up(db) {
      // Housecall's store is the source of truth for consent; every version is kept.
      await db.schema
        .createTable('consents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('consents_by_patient').on('consents').column('patient_id').execute();
      await db.schema
        .createTable('consent_versions')
        .addColumn('consent_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('resource', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('consent_versions_pk', ['consent_id', 'version'])
        .execute();
      await db.schema.alterTable('launches').addColumn('break_glass_until', 'bigint').execute();
    },
  },
  {
    name: '003-chart-visits',
    async up(db) {
      // When each clinician last opened each patient's chart from each issuer: "new since".
      await db.schema
        .createTable('chart_visits')
        .addColumn('fhir_user', 'text', (c) => c.notNull())
        .addColumn('issuer_id', 'text', (c) => c.notNull())
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('launch_id', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'bigint', (c) => c.notNull())
        .addColumn('previous_opened_at', 'bigint')
        .addPrimaryKeyConstraint('chart_visits_pk', ['fhir_user', 'issuer_id', 'patient_id'])
        .execute();
    },
  },
  {
    name: '006-drafts',
    async up(db) {
      // Unfinished notes, sealed like tokens: a clinician's draft survives a reload, a relaunch
      // or an EHR frame that refuses browser storage. Keyed by a hash of issuer, user and patient.
      await db.schema
        .createTable('drafts')
        .addColumn('key_hash', 'text', (c) => c.primaryKey())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  },
  {
    name: '007-share-links',
    async up(db) {
      // Partner share links: the token is never stored, only its SHA-256, so a copy of the
      // database cannot open a link. Bound to the patient's launch, which must still be live.
      await db.schema
        .createTable('share_links')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('launch_id', 'text', (c) => c.notNull())
        .addColumn('patient_id', 'text', (c) => c.notNull())
        .addColumn('resource_types', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute();
      await db.schema.createIndex('share_links_patient').on('share_links').column('patient_id').execute();
    },
  },
  {
    name: '008-share-link-consents',
    async up(db) {
      // A share link is made from a Consent (the patient's permission for whoever holds it); ending
      // that consent ends the link. end_reason says which ending it was, for the link's page.
      await db.schema.alterTable('share_links').addColumn('consent_id', 'text').execute();
      await db.schema.alterTable('share_links').addColumn('end_reason', 'text').execute();
      await db.schema.createIndex('share_links_consent').on('share_links').column('consent_id').execute();
    },
  },
  {
    name: '009-consent-ehr-copies',
    async up(db) {
      // Housecall's store is the source of truth; where the EHR accepts Consent writes a copy is
      // kept there too. These say which local version the EHR copy holds, under which EHR id.
      await db.schema.alterTable('consents').addColumn('ehr_id', 'text').execute();
      await db.schema.alterTable('consents').addColumn('ehr_version', 'text').execute();
      await db.schema.alterTable('consents').addColumn('ehr_state', 'text').execute();
      await db.schema.alterTable('consents').addColumn('ehr_synced_version', 'integer').execute();
    },
  },
  {
    name: '010-held-changes',
    async up(db) {
      // Unsent changes of a launch that lapsed (refresh refused, access expired), kept for the
      // same user and patient while the device erases its copy; sealed, and only for a while.
      await db.schema
        .createTable('held_changes')
        .addColumn('owner_hash', 'text', (c) => c.notNull())
        .addColumn('entry_id', 'text', (c) => c.notNull())
        .addColumn('sealed', 'text', (c) => c.notNull())
        .addColumn('held_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('held_changes_pk', ['owner_hash', 'entry_id'])
        .execute();
    },
  },
];

/**
 * Applies the migrations not yet applied, each in its own transaction. `serialize` runs first in
 * every transaction (PostgreSQL: an advisory lock), so instances starting together apply each
 * migration once: the list of applied ones is read again under the lock.
 */
export async function migrate(db: Kysely<Database>, serialize?: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await serialize?.(trx);
    await trx.schema
      .createTable('housecall_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
  });
  for (const m of MIGRATIONS) {
    await db.transaction().execute(async (trx) => {
      await serialize?.(trx);
      if (await trx.selectFrom('housecall_migrations').select('name').where('name', '=', m.name).executeTakeFirst()) return;
      await m.up(trx);
      await trx.insertInto('housecall_migrations').values({ name: m.name, applied_at: Date.now() }).execute();
    });
  }
  await sql`select 1`.execute(db);
}

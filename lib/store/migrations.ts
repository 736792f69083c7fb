import 'server-only';
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import { anchorHash, GENESIS_HASH, LEGACY_CHAIN_ID, type AnchorHead } from './audit-chain';
import { logger } from '../telemetry';
import type { Database } from './schema';

/**
 * Migrations live in code and run in order, once each, at first use of the store. Plain SQL
 * types that SQLite and PostgreSQL both accept (bigint for epoch milliseconds).
 */
export interface Migration {
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
  {
    name: '011-tenancy',
    async up(db) {
      // A patient id means something only at the EHR that issued it: consents, audit events and
      // share links are keyed by issuer and patient from here on (chart visits, drafts and held
      // changes already were). Existing rows get the issuer of the launch they came from:
      // - share links and audit events carry their launch id, and take that launch's issuer;
      // - a consent carries none, so its issuer comes from the launches that recorded or used
      //   it (the consent audit events naming it, the share links made from it) and, failing
      //   those, from the patient launches with its patient id, when they all come from one issuer.
      // A row this cannot attribute to exactly one issuer keeps issuer_id null rather than a
      // guess: lookups by issuer and patient never match it, so it is neither listed, enforced,
      // revocable nor opened. Attributing one by hand (`update consents set issuer_id = …`) is an
      // operator's decision; the count of such rows is logged, without ids.
      // Audit rows are hashed: the backfill does not touch what an old row's hash covers (its
      // hash_version stays 1, whose hash leaves issuer_id out; the audit verify checks the filled
      // issuer against the one named in the row's hashed body instead). Rows appended from here
      // on are hash_version 2, whose hash covers issuer_id.
      await db.schema.alterTable('consents').addColumn('issuer_id', 'text').execute();
      await db.schema.alterTable('share_links').addColumn('issuer_id', 'text').execute();
      await db.schema.alterTable('audit_events').addColumn('issuer_id', 'text').execute();
      await db.schema.alterTable('audit_events').addColumn('hash_version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      await db.schema.dropIndex('consents_by_patient').execute();
      await db.schema.createIndex('consents_by_patient').on('consents').columns(['issuer_id', 'patient_id']).execute();
      await db.schema.dropIndex('audit_by_patient').execute();
      await db.schema.createIndex('audit_by_patient').on('audit_events').columns(['issuer_id', 'patient_id', 'seq']).execute();
      await db.schema.dropIndex('share_links_patient').execute();
      await db.schema.createIndex('share_links_patient').on('share_links').columns(['issuer_id', 'patient_id']).execute();

      const launchIssuer = (table: 'share_links' | 'audit_events') => sql<string>`(select launches.issuer_id from launches where launches.id = ${sql.ref(`${table}.launch_id`)})`;
      await db.updateTable('share_links').set({ issuer_id: launchIssuer('share_links') }).execute();
      await db.updateTable('audit_events').set({ issuer_id: launchIssuer('audit_events') }).where('launch_id', 'is not', null).execute();
      await backfillConsentIssuers(db);

      const unattributed = await Promise.all((['consents', 'share_links', 'audit_events'] as const).map(async (table) => {
        const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('issuer_id', 'is', null).where('patient_id', 'is not', null).executeTakeFirst();
        return [table, Number(row?.n ?? 0)] as const;
      }));
      if (unattributed.some(([, n]) => n > 0)) logger.warn({ event: 'store.tenancy_unattributed', ...Object.fromEntries(unattributed) }, 'rows kept without an issuer: no launch attributes them to exactly one');
    },
  },
  {
    name: '012-audit-chains',
    async up(db) {
      // One hash chain per store instance instead of one for the whole fleet: an append extends
      // its own instance's chain, so instances no longer queue behind one database-wide lock.
      // The rows written so far become the chain `legacy`, in their old order (chain_seq = seq),
      // and keep their hashes (versions 1 and 2 do not cover the chain columns). `seq` stays as
      // the global order of arrival, now assigned by the database. Anchors tie the chains
      // together; the first one records where the legacy chain ends, so cutting its tail is caught.
      await db.schema.alterTable('audit_events').addColumn('chain_id', 'text', (c) => c.notNull().defaultTo(LEGACY_CHAIN_ID)).execute();
      await db.schema.alterTable('audit_events').addColumn('chain_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.updateTable('audit_events').set({ chain_seq: sql<number>`seq` }).execute();
      await db.schema.createIndex('audit_chain_position').on('audit_events').columns(['chain_id', 'chain_seq']).unique().execute();
      await db.schema
        .createTable('audit_chains')
        .addColumn('chain_id', 'text', (c) => c.primaryKey())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('anchored_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('audit_anchors')
        .addColumn('seq', 'integer', (c) => c.primaryKey())
        .addColumn('recorded_at', 'bigint', (c) => c.notNull())
        .addColumn('heads', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      if (db.getExecutor().adapter instanceof PostgresAdapter) {
        // SQLite assigns an omitted integer primary key itself (rowid); PostgreSQL needs an identity.
        await sql`alter table audit_events alter column seq add generated by default as identity`.execute(db);
        await sql`select setval(pg_get_serial_sequence('audit_events', 'seq'), (select coalesce(max(seq), 0) + 1 from audit_events), false)`.execute(db);
      }
      const head = await db.selectFrom('audit_events').select(['chain_seq', 'hash']).where('chain_id', '=', LEGACY_CHAIN_ID).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
      if (!head) return;
      const now = Date.now();
      const heads: AnchorHead[] = [[LEGACY_CHAIN_ID, Number(head.chain_seq), head.hash]];
      await db.insertInto('audit_chains').values({ chain_id: LEGACY_CHAIN_ID, started_at: now, label: 'rows written before 012-audit-chains', anchored_seq: Number(head.chain_seq) }).execute();
      await db.insertInto('audit_anchors').values({ seq: 1, recorded_at: now, heads: JSON.stringify(heads), prev_hash: GENESIS_HASH, hash: anchorHash(GENESIS_HASH, 1, now, heads) }).execute();
    },
  },
  {
    name: '013-support-console',
    async up(db) {
      // The staff console's support pages (lib/staff): what a person reads from an error page
      // (its reference) leads to the browser session it happened in and so to its launches; each
      // launch keeps the latest sync report its device sent and how often its tokens were
      // refreshed. Identifiers, counts and times only.
      await db.schema
        .createTable('error_references')
        .addColumn('reference', 'text', (c) => c.primaryKey())
        .addColumn('recorded_at', 'bigint', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('issuer_id', 'text')
        .addColumn('browser_session_id', 'text')
        .addColumn('launch_id', 'text')
        .execute();
      await db.schema.createIndex('error_references_recorded').on('error_references').column('recorded_at').execute();
      await db.schema
        .createTable('launch_client_metrics')
        .addColumn('launch_id', 'text', (c) => c.primaryKey())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('reported_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.alterTable('launches').addColumn('refresh_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('launches').addColumn('last_refresh_at', 'bigint').execute();
      await db.schema.createIndex('launches_browser_session').on('launches').column('browser_session_id').execute();
    },
  },
  {
    name: '014-acts-for',
    async up(db) {
      // A user the EHR names by their role (`fhirUser` = PractitionerRole/…) acts for the
      // Practitioner of that role, read once at the launch: consents naming the Practitioner
      // apply to them. Null for every other user, and for a role whose practitioner could not be read.
      await db.schema.alterTable('launches').addColumn('acts_for', 'text').execute();
    },
  },
];

/** Each consent's issuer, by the rule in 011-tenancy; consents it cannot attribute stay null. */
async function backfillConsentIssuers(db: Kysely<Database>): Promise<void> {
  const consents = await db.selectFrom('consents').select(['id', 'patient_id']).execute();
  if (consents.length === 0) return;
  // issuer of each launch that recorded or used a consent, and the launch's patient
  const evidence = new Map<string, { issuerId: string; patientId: string | null }[]>();
  const note = (consentId: string, issuerId: string, patientId: string | null) => evidence.set(consentId, [...(evidence.get(consentId) ?? []), { issuerId, patientId }]);
  const links = await db.selectFrom('share_links').innerJoin('launches', 'launches.id', 'share_links.launch_id')
    .select(['share_links.consent_id', 'launches.issuer_id', 'launches.patient_id']).where('share_links.consent_id', 'is not', null).execute();
  for (const l of links) note(l.consent_id!, l.issuer_id, l.patient_id);
  const events = await db.selectFrom('audit_events').innerJoin('launches', 'launches.id', 'audit_events.launch_id')
    .select(['audit_events.body', 'launches.issuer_id', 'launches.patient_id']).where('audit_events.category', '=', 'consent').execute();
  for (const e of events) for (const id of consentsNamedIn(e.body)) note(id, e.issuer_id, e.patient_id);
  const patientLaunches = await db.selectFrom('launches').select(['issuer_id', 'patient_id']).distinct().where('workflow', '=', 'patient').where('patient_id', 'is not', null).execute();
  const issuersOfPatient = new Map<string, Set<string>>();
  for (const l of patientLaunches) issuersOfPatient.set(l.patient_id!, new Set([...(issuersOfPatient.get(l.patient_id!) ?? []), l.issuer_id]));

  const byIssuer = new Map<string, string[]>();
  for (const c of consents) {
    const direct = new Set((evidence.get(c.id) ?? []).filter((e) => e.patientId === c.patient_id).map((e) => e.issuerId));
    const candidates = direct.size > 0 ? direct : (issuersOfPatient.get(c.patient_id) ?? new Set<string>());
    if (candidates.size !== 1) continue;
    const [issuerId] = candidates;
    byIssuer.set(issuerId!, [...(byIssuer.get(issuerId!) ?? []), c.id]);
  }
  for (const [issuerId, ids] of byIssuer) {
    for (let i = 0; i < ids.length; i += 500) await db.updateTable('consents').set({ issuer_id: issuerId }).where('id', 'in', ids.slice(i, i + 500)).execute();
  }
}

/** The Consent ids an audit event's body names as its entity (`Consent/{id}`). */
function consentsNamedIn(body: string): string[] {
  try {
    const event = JSON.parse(body) as { entity?: { what?: { reference?: string } }[] };
    return (event.entity ?? []).flatMap((e) => {
      const m = /^Consent\/([A-Za-z0-9\-.]{1,64})$/.exec(e.what?.reference ?? '');
      return m ? [m[1]!] : [];
    });
  } catch {
    return [];
  }
}

/**
 * Applies the migrations not yet applied (`migrations`: all of them, except in tests that build
 * an older schema), each in its own transaction. `serialize` runs first in
 * every transaction (PostgreSQL: an advisory lock), so instances starting together apply each
 * migration once: the list of applied ones is read again under the lock.
 */
export async function migrate(db: Kysely<Database>, serialize?: (trx: Transaction<Database>) => Promise<void>, migrations: readonly Migration[] = MIGRATIONS): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await serialize?.(trx);
    await trx.schema
      .createTable('housecall_migrations')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('applied_at', 'bigint', (c) => c.notNull())
      .execute();
  });
  for (const m of migrations) {
    await db.transaction().execute(async (trx) => {
      await serialize?.(trx);
      if (await trx.selectFrom('housecall_migrations').select('name').where('name', '=', m.name).executeTakeFirst()) return;
      await m.up(trx);
      await trx.insertInto('housecall_migrations').values({ name: m.name, applied_at: Date.now() }).execute();
    });
  }
  await sql`select 1`.execute(db);
}

/**
 * The named changes a person can make offline, in one registry typed by `typeof` (STYLE rule
 * 13). Each mutation is pure: it takes the copy being changed, its arguments and a context (time,
 * id source) and returns the change to queue. `enqueue()` turns that into an outbox entry that
 * records the base version and copy, its dependencies and a fresh idempotency key.
 *
 * List edits name the entry the person edited by its index in the copy they saw plus a
 * fingerprint of its content (list-keys.ts EntryRef), so an edit changes that one entry even when
 * another shares its meaning (two home addresses), and a merge later sees exactly which changed.
 */
import type { Address, AllergyIntolerance, Attachment, Communication, ContactPoint, DocumentReference, Patient, Practitioner, PractitionerRole, Reference, RelatedPerson, Resource } from '@medplum/fhirtypes';
import { locateEntry, type EntryRef } from './list-keys';
import type { OutboxEntry, OutboxOp } from './outbox';

/** Time and id source, injected so mutations stay pure. */
export interface MutationContext {
  /** Device time in ms. */
  now: number;
  /** A fresh random id (crypto.randomUUID in the app). */
  newId: () => string;
}

/** What a mutation asks to send. */
export interface Change<T extends Resource = Resource> {
  op: OutboxOp;
  resourceType: T['resourceType'];
  resourceId: string;
  /** For creates: the local id references may use until the server assigns one. */
  localId?: string;
  payload: T | null;
}

function update<T extends Resource & { id?: string }>(base: T, payload: T): Change<T> {
  if (!base.id) throw new Error(`${base.resourceType} has no id; it cannot be updated`);
  return { op: 'update', resourceType: base.resourceType, resourceId: base.id, payload };
}

function base64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The registry of named offline changes (STYLE rule 13). Add new ones here; the types follow by `typeof`. */
export const mutations = {
  /**
   * Sets, changes or (value null) removes one phone or email. `entry` names the entry the person
   * edited (list-keys.ts EntryRef); only that entry changes, even when another shares its system
   * and use. Without `entry`, the first entry of that system and use, else a new one.
   */
  editTelecom(patient: Patient, args: { system: NonNullable<ContactPoint['system']>; use: NonNullable<ContactPoint['use']>; value: string | null; entry?: EntryRef }): Change<Patient> {
    const list = patient.telecom ?? [];
    const at = args.entry ? locateEntry(list, args.entry, 'telecom') : list.findIndex((t) => t.system === args.system && t.use === args.use);
    const telecom =
      at < 0
        ? args.value === null ? list : [...list, { system: args.system, use: args.use, value: args.value }]
        : args.value === null ? list.filter((_, i) => i !== at) : list.map((t, i) => (i === at ? { ...t, system: args.system, use: args.use, value: args.value! } : t));
    const { telecom: _t, ...rest } = patient;
    return update(patient, { ...rest, ...(telecom.length ? { telecom } : {}) });
  },

  /**
   * Replaces or (address null) removes one address, or adds one. `entry` names the address the
   * person edited; only it changes, never another with the same use. The entry becomes exactly
   * `address` (with `use`): nothing of the old one is carried over here, so a caller decides what
   * of it still holds. Without `entry`, the first address of that use, else a new one.
   */
  editAddress(patient: Patient, args: { use: NonNullable<Address['use']>; address: Omit<Address, 'use'> | null; entry?: EntryRef }): Change<Patient> {
    const list = patient.address ?? [];
    const at = args.entry ? locateEntry(list, args.entry, 'address') : list.findIndex((a) => a.use === args.use);
    const replacement: Address | undefined = args.address ? { ...args.address, use: args.use } : undefined;
    const next: Address[] =
      at < 0
        ? replacement ? [...list, replacement] : list
        : replacement ? list.map((a, i) => (i === at ? replacement : a)) : list.filter((_, i) => i !== at);
    const { address: _a, ...rest } = patient;
    return update(patient, { ...rest, ...(next.length ? { address: next } : {}) });
  },

  /** Marks one language (BCP-47 code) as preferred, adding it if absent. */
  editPreferredLanguage(patient: Patient, args: { code: string; display?: string }): Change<Patient> {
    const list = patient.communication ?? [];
    const has = list.some((c) => c.language.coding?.[0]?.code === args.code);
    const marked = list.map((c) => ({ ...c, preferred: c.language.coding?.[0]?.code === args.code }));
    const added = has ? [] : [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: args.code, ...(args.display ? { display: args.display } : {}) }] }, preferred: true }];
    return update(patient, { ...patient, communication: [...marked, ...added] });
  },

  /** A new preliminary note, optionally appending to another (possibly also unsynced) note. */
  draftNote(_base: null, args: { patient: string; text: string; author: Reference<Practitioner | PractitionerRole | Patient | RelatedPerson>; title?: string; appendsTo?: Reference<DocumentReference> }, ctx: MutationContext): Change<DocumentReference> {
    const localId = ctx.newId();
    return {
      op: 'create',
      resourceType: 'DocumentReference',
      resourceId: localId,
      localId,
      payload: {
        resourceType: 'DocumentReference',
        id: localId,
        status: 'current',
        docStatus: 'preliminary',
        type: { text: args.title ?? 'Note' },
        subject: { reference: `Patient/${args.patient}` },
        date: new Date(ctx.now).toISOString(),
        author: [args.author],
        content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(args.text) } }],
        ...(args.appendsTo ? { relatesTo: [{ code: 'appends', target: args.appendsTo }] } : {}),
      },
    };
  },

  /** Makes a preliminary note final, signed by `author`. */
  signNote(note: DocumentReference, args: { author: Reference<Practitioner | PractitionerRole> }, ctx: MutationContext): Change<DocumentReference> {
    return update(note, { ...note, docStatus: 'final', authenticator: args.author, date: new Date(ctx.now).toISOString() });
  },

  /**
   * A message from the patient to someone caring for them, new or (`inResponseTo`) a reply in a
   * thread. A create, so it is sent exactly once: conditional on its idempotency key (upload.ts).
   * `sent` is the time the person pressed Send, even when the device was offline then.
   */
  sendMessage(_base: null, args: { patient: string; sender: string; recipient: { reference: string; display?: string }; text: string; topic?: string; inResponseTo?: string; attachments?: Attachment[] }, ctx: MutationContext): Change<Communication> {
    const localId = ctx.newId();
    const payload: Communication = {
      resourceType: 'Communication',
      id: localId,
      status: 'completed',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/communication-category', code: 'notification' }], text: 'Message' }],
      subject: { reference: `Patient/${args.patient}` },
      sender: { reference: args.sender },
      recipient: [{ reference: args.recipient.reference, ...(args.recipient.display ? { display: args.recipient.display } : {}) }],
      sent: new Date(ctx.now).toISOString(),
      ...(args.topic ? { topic: { text: args.topic } } : {}),
      ...(args.inResponseTo ? { inResponseTo: [{ reference: `Communication/${args.inResponseTo}` }] } : {}),
      payload: [
        ...(args.text.trim() ? [{ contentString: args.text }] : []),
        ...(args.attachments ?? []).map((a) => ({ contentAttachment: a })),
      ],
    };
    return { op: 'create', resourceType: 'Communication', resourceId: localId, localId, payload };
  },

  /** Marks a message to the reader as read (`received`), on the version they saw (If-Match). */
  markMessageRead(message: Communication, _args: Record<string, never>, ctx: MutationContext): Change<Communication> {
    return update(message, { ...message, received: new Date(ctx.now).toISOString() });
  },

  /** Appends a comment to an allergy's notes. */
  commentOnAllergy(allergy: AllergyIntolerance, args: { text: string; author: Reference<Practitioner | Patient | RelatedPerson> }, ctx: MutationContext): Change<AllergyIntolerance> {
    const note = [...(allergy.note ?? []), { authorReference: args.author, time: new Date(ctx.now).toISOString(), text: args.text }];
    return update(allergy, { ...allergy, note });
  },
};

/** The registry's type. */
export type Mutations = typeof mutations;
/** A mutation's name, stored on the outbox entry. */
export type MutationName = keyof Mutations;
/** The copy a mutation changes (null for creates). */
export type MutationBase<N extends MutationName> = Parameters<Mutations[N]>[0];
/** A mutation's arguments. */
export type MutationArgs<N extends MutationName> = Parameters<Mutations[N]>[1];

type AnyMutation = (base: unknown, args: unknown, ctx: MutationContext) => Change;

function referencesTo(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => referencesTo(v, found));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') found.add(v);
      else referencesTo(v, found);
    }
  }
  return found;
}

/**
 * Runs a named mutation and returns the outbox entry to persist and the local copy to show at
 * once. The entry depends on every unsettled earlier entry of the same resource (FIFO) and on
 * the unsynced create of any resource its payload references.
 */
export function enqueue<N extends MutationName>(
  outbox: readonly OutboxEntry[],
  name: N,
  base: MutationBase<N>,
  args: MutationArgs<N>,
  ctx: MutationContext,
): { entry: OutboxEntry; local: Resource | null } {
  const change = (mutations[name] as AnyMutation)(base, args, ctx);
  const open = outbox.filter((e) => e.state !== 'synced');
  const refs = change.payload ? referencesTo(change.payload, new Set()) : new Set<string>();
  const dependsOn = open
    .filter(
      (e) =>
        (e.resourceType === change.resourceType && e.resourceId === change.resourceId) ||
        (e.op === 'create' && e.localId !== undefined && (refs.has(`urn:uuid:${e.localId}`) || refs.has(`${e.resourceType}/${e.localId}`))),
    )
    .map((e) => e.id);
  const baseResource = (base ?? undefined) as Resource | undefined;
  const baseVersion = baseResource?.meta?.versionId;
  const entry: OutboxEntry = {
    id: ctx.newId(),
    mutation: name,
    op: change.op,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    ...(change.localId ? { localId: change.localId } : {}),
    ...(baseVersion !== undefined ? { baseVersion } : {}),
    ...(baseResource ? { baseCopy: baseResource } : {}),
    payload: change.payload,
    idempotencyKey: ctx.newId(),
    attempts: 0,
    nextAttemptAt: ctx.now,
    state: 'pending',
    ...(dependsOn.length ? { dependsOn } : {}),
    createdAt: ctx.now,
  };
  return { entry, local: change.payload };
}

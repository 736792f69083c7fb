import type { CapabilityStatement, Consent } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { consentWriteSupport } from '../fhir/ehr-consent';
import { openSqliteStore, StoreKey } from '../store';
import { shareWithPractitioner } from './build';
import { recordConsentsAtEhr, type EhrConsentPort } from './ehr-record';
import { transition } from './lifecycle';

const capability = (interactions: string[]): CapabilityStatement => ({
  resourceType: 'CapabilityStatement', status: 'active', date: '2026-01-01', kind: 'instance', fhirVersion: '4.0.1', format: ['json'],
  rest: [{ mode: 'server', resource: [{ type: 'Consent', interaction: interactions.map((code) => ({ code: code as 'read' })) }] }],
});

/** A fake EHR: keeps what it is sent, versions it, fails on cue. */
function fakeEhr(cap: CapabilityStatement | undefined) {
  const held = new Map<string, { consent: Consent; version: number }>();
  const sent: { method: 'POST' | 'PUT'; status?: string; ifMatch?: string | null }[] = [];
  let failNext = 0;
  const port: EhrConsentPort = {
    capability: async () => cap,
    writeSupport: consentWriteSupport,
    async send(consent, ehr) {
      sent.push({ method: ehr ? 'PUT' : 'POST', status: consent.status, ifMatch: ehr?.version ?? null });
      if (failNext > 0) {
        failNext -= 1;
        throw new Error('EHR down');
      }
      const id = ehr?.id ?? `ehr-${held.size + 1}`;
      const version = (held.get(id)?.version ?? 0) + 1;
      held.set(id, { consent, version });
      return { id, version: String(version) };
    },
  };
  return { port, held, sent, failOnce: () => void (failNext = 1) };
}

const PAT = { issuerId: 'sandbox', patientId: 'pat-001' };
const NOW = new Date('2026-11-01T09:00:00Z');
const share = shareWithPractitioner({ id: 'c1', patientId: 'pat-001', practitionerId: 'prac-002', resourceTypes: ['Observation'] });

describe('recordConsentsAtEhr', () => {
  it('creates the EHR copy, keeps its id and version locally, then updates it on revocation with If-Match', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral());
    const ehr = fakeEhr(capability(['read', 'create', 'update']));
    await store.consents.save({ ...share, id: 'c1' }, PAT);
    expect(await recordConsentsAtEhr(store.consents, PAT, ehr.port)).toEqual({ written: 1, pending: 0, unsupported: 0 });
    expect(await store.consents.ehrRecords(PAT)).toMatchObject([{ id: 'c1', ehrId: 'ehr-1', ehrVersion: '1', state: 'written', syncedVersion: 1 }]);
    // Nothing changed: nothing is sent.
    expect(await recordConsentsAtEhr(store.consents, PAT, ehr.port)).toEqual({ written: 0, pending: 0, unsupported: 0 });
    const revoked = transition((await store.consents.get(PAT, 'c1'))!, 'revoke', NOW);
    await store.consents.save({ ...(revoked.ok ? revoked.consent : share), id: 'c1' }, PAT);
    await recordConsentsAtEhr(store.consents, PAT, ehr.port);
    expect(ehr.sent).toEqual([{ method: 'POST', status: 'active', ifMatch: null }, { method: 'PUT', status: 'inactive', ifMatch: '1' }]);
    expect(ehr.held.get('ehr-1')).toMatchObject({ version: 2, consent: { status: 'inactive' } });
    expect(await store.consents.ehrRecords(PAT)).toMatchObject([{ ehrVersion: '2', state: 'written', syncedVersion: 2 }]);
  });

  it('never loses the local consent when the EHR fails: it is marked pending and written on the next pass', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral());
    const ehr = fakeEhr(capability(['create', 'update']));
    await store.consents.save({ ...share, id: 'c1' }, PAT);
    ehr.failOnce();
    expect(await recordConsentsAtEhr(store.consents, PAT, ehr.port)).toEqual({ written: 0, pending: 1, unsupported: 0 });
    expect(await store.consents.get(PAT, 'c1')).toMatchObject({ status: 'active' });
    expect(await store.consents.ehrRecords(PAT)).toMatchObject([{ state: 'pending', ehrId: null }]);
    expect(await recordConsentsAtEhr(store.consents, PAT, ehr.port)).toEqual({ written: 1, pending: 0, unsupported: 0 });
    expect(ehr.held.size).toBe(1);
  });

  it('marks consents unsupported where the CapabilityStatement allows no Consent create, and pending when it cannot be read', async () => {
    const store = await openSqliteStore(':memory:', StoreKey.ephemeral());
    await store.consents.save({ ...share, id: 'c1' }, PAT);
    const unreadable = fakeEhr(undefined);
    expect(await recordConsentsAtEhr(store.consents, PAT, unreadable.port)).toEqual({ written: 0, pending: 1, unsupported: 0 });
    const readOnly = fakeEhr(capability(['read', 'search-type']));
    expect(await recordConsentsAtEhr(store.consents, PAT, readOnly.port)).toEqual({ written: 0, pending: 0, unsupported: 1 });
    expect(readOnly.sent).toEqual([]);
    expect(await store.consents.ehrRecords(PAT)).toMatchObject([{ state: 'unsupported' }]);
  });

  it('reads Consent create and update from a CapabilityStatement', () => {
    expect(consentWriteSupport(capability(['create', 'update']))).toEqual({ create: true, update: true });
    expect(consentWriteSupport(capability(['create']))).toEqual({ create: true, update: false });
    expect(consentWriteSupport(undefined)).toEqual({ create: false, update: false });
    expect(consentWriteSupport({ ...capability(['create']), rest: [{ mode: 'client', resource: [{ type: 'Consent', interaction: [{ code: 'create' }] }] }] })).toEqual({ create: false, update: false });
  });
});

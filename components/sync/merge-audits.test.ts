import { describe, expect, it } from 'vitest';
import { createOffline } from '@/lib/offline';
import type { ResolutionAudit } from '@/lib/sync';
import { createMergeAudits } from './merge-audits';

const audit = (n: number): ResolutionAudit => ({ kind: 'sync-conflict-resolution', who: '', when: `2026-01-01T00:00:0${n}.000Z`, entryId: `e${n}`, resource: 'Patient/p', decision: 'auto-merge', fields: ['telecom[phone|mobile].value'], theirsFields: ['address[home].city'], baseVersion: '1', theirsVersion: '2' });

describe('createMergeAudits', () => {
  it('keeps each automatic merge until the server stored it, in order, as the launch’s user', async () => {
    const records = await createOffline({}).open({ issuer: 'https://ehr.test/fhir', fhirUser: 'Patient/p', patient: 'p' });
    const posted: ResolutionAudit[] = [];
    let up = false;
    const audits = createMergeAudits(records, async (a) => {
      if (!up) return false;
      posted.push(a);
      return true;
    }, 'Patient/p');
    await audits.keep([audit(2), audit(1)]);
    expect(await audits.send()).toBe(0); // endpoint out of reach: nothing lost
    up = true;
    expect(await audits.send()).toBe(2);
    expect(posted.map((a) => [a.entryId, a.who])).toEqual([['e1', 'Patient/p'], ['e2', 'Patient/p']]);
    expect(await audits.send()).toBe(0);
  });
});

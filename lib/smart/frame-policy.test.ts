import { describe, expect, it, vi } from 'vitest';
import type { LaunchStore } from '../store';
import { parseSmartConfig } from './config';
import { frameAncestorsFor } from './frame-policy';

const scopes = { clinician: ['patient/Observation.rs'], patient: ['patient/Observation.rs'] };
const CONFIG = parseSmartConfig(JSON.stringify({
  issuers: [
    { id: 'one', name: 'One', vendor: 'other', enabled: true, fhirBaseUrl: 'https://one.test/fhir', clientId: 'hc', clientAuth: { method: 'none' }, ehrOrigins: ['https://ehr.one.test'], scopes },
    { id: 'two', name: 'Two', vendor: 'other', enabled: true, fhirBaseUrl: 'https://two.test/fhir', clientId: 'hc', clientAuth: { method: 'none' }, ehrOrigins: ['https://ehr.two.test/app'], scopes },
    { id: 'off', name: 'Off', vendor: 'epic', enabled: false, fhirBaseUrl: 'https://off.test/fhir', clientId: '', clientAuth: { method: 'none' }, ehrOrigins: ['https://ehr.off.test'], scopes },
  ],
}), 'test');

const noStore = vi.fn(async (): Promise<LaunchStore> => {
  throw new Error('the store is not needed for this path');
});

function ancestors(path: string) {
  return frameAncestorsFor(new URL(path, 'https://housecall.test'), CONFIG, noStore);
}

describe('frameAncestorsFor (issue 10: sign-out inside the EHR frame)', () => {
  it('lets the signed-out page be framed by the EHR of the issuer it names, and only that one', async () => {
    expect(await ancestors('/signed-out?wipe=0123456789abcdef0123456789abcdef&issuer=one')).toEqual(["'self'", 'https://ehr.one.test']);
    expect(await ancestors('/signed-out?issuer=two')).toEqual(["'self'", 'https://ehr.two.test']);
  });

  it('refuses every other framer of the signed-out page: no issuer, an unknown one, a disabled one, a URL', async () => {
    for (const q of ['', '?issuer=', '?issuer=nobody', '?issuer=off', `?issuer=${encodeURIComponent('https://ehr.one.test')}`]) {
      expect(await ancestors(`/signed-out${q}`)).toEqual(["'self'"]);
    }
  });

  it('lets the offline shell be framed by the EHRs of enabled issuers (it is the same static page for all)', async () => {
    expect(await ancestors('/offline')).toEqual(["'self'", 'https://ehr.one.test', 'https://ehr.two.test']);
  });

  it('keeps every other page to Housecall itself', async () => {
    expect(await ancestors('/')).toEqual(["'self'"]);
    expect(await ancestors('/share/abc?issuer=one')).toEqual(["'self'"]);
    expect(noStore).not.toHaveBeenCalled();
  });
});

import { describe, expect, it } from 'vitest';
import { beginLaunch } from './begin-launch';
import { restartUrlForCallback } from './restart';
import { urlOf } from './test-authorization-server';
import { testConfig, useTestAuthorizationServer } from './test-harness';

const h = useTestAuthorizationServer();
const HOUSECALL = 'http://localhost:3000';

async function pendingState(launch: string | null, config = testConfig(h.as.fhirBase)): Promise<string> {
  const url = urlOf(await beginLaunch({ iss: h.as.fhirBase, launch, browserSessionId: 'sid-1', redirectUri: `${HOUSECALL}/redirect` }, { config, store: h.store.launches }));
  return url.searchParams.get('state')!;
}

describe('restartUrlForCallback', () => {
  it('relaunches an EHR launch standalone, asking for the clinician scopes, and never replays the single-use launch value', async () => {
    const config = testConfig(h.as.fhirBase);
    const state = await pendingState('EHR-LAUNCH-1', config);
    const link = await restartUrlForCallback(new URL(`${HOUSECALL}/redirect?code=c&state=${state}`), HOUSECALL, { config, store: h.store.launches });
    const url = new URL(link!);
    expect(url.origin + url.pathname).toBe(`${HOUSECALL}/launch`);
    expect(url.searchParams.get('iss')).toBe(h.as.fhirBase);
    expect(url.searchParams.get('scopes')).toBe('clinician');
    expect(url.searchParams.has('launch')).toBe(false);
    expect(link).not.toContain('EHR-LAUNCH-1');
  });

  it('relaunches a standalone launch as it was', async () => {
    const config = testConfig(h.as.fhirBase);
    const state = await pendingState(null, config);
    const url = new URL((await restartUrlForCallback(new URL(`${HOUSECALL}/redirect?state=${state}`), HOUSECALL, { config, store: h.store.launches }))!);
    expect([...url.searchParams.keys()]).toEqual(['iss']);
  });

  it('offers no link for an issuer that takes no standalone launch: the person relaunches from the EHR', async () => {
    const config = testConfig(h.as.fhirBase, { standalone: false });
    const state = await pendingState('EHR-LAUNCH-2', config);
    expect(await restartUrlForCallback(new URL(`${HOUSECALL}/redirect?state=${state}`), HOUSECALL, { config, store: h.store.launches })).toBeUndefined();
  });
});

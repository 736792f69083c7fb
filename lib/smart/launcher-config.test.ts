import fs from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { serverEnv } from '../env';
import { allEhrOrigins, findIssuerById, findIssuerByIss, LAUNCHER_ISSUER_ID, parseSmartConfig, withLauncherClient } from './config';

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
const LAUNCHER_ISS = 'https://launch.smarthealthit.org/v/r4/fhir';
const registry = () => parseSmartConfig(fs.readFileSync('smart-config.json', 'utf8'), 'smart-config.json', env({ SANDBOX_ORIGIN: 'http://127.0.0.1:4010' }));

describe('the SMART Health IT launcher takes one setting (issue 13)', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('is in the registry, disabled, with no client id', () => {
    const entry = registry().issuers.find((i) => i.id === LAUNCHER_ISSUER_ID)!;
    expect(entry).toMatchObject({ enabled: false, clientId: '', fhirBaseUrl: LAUNCHER_ISS, ehrOrigins: ['https://launch.smarthealthit.org'], clientAuth: { method: 'none' } });
    expect(findIssuerByIss(registry(), LAUNCHER_ISS)).toBeUndefined();
  });

  it('is enabled with the client id given, and nothing else changes', () => {
    const before = registry();
    const after = withLauncherClient(before, 'my-housecall-dev');
    expect(findIssuerByIss(after, LAUNCHER_ISS)).toMatchObject({ id: LAUNCHER_ISSUER_ID, enabled: true, clientId: 'my-housecall-dev' });
    expect(findIssuerById(after, LAUNCHER_ISSUER_ID)?.clientId).toBe('my-housecall-dev');
    expect(allEhrOrigins(after)).toContain('https://launch.smarthealthit.org');
    expect(after.issuers.filter((i) => i.id !== LAUNCHER_ISSUER_ID)).toEqual(before.issuers.filter((i) => i.id !== LAUNCHER_ISSUER_ID));
    expect(withLauncherClient(before, undefined)).toBe(before);
    expect(withLauncherClient(before, '')).toBe(before);
  });

  it('refuses the setting when the registry has no launcher entry', () => {
    const bare = { ...registry(), issuers: registry().issuers.filter((i) => i.id !== LAUNCHER_ISSUER_ID) };
    expect(() => withLauncherClient(bare, 'x')).toThrow(/HOUSECALL_SMART_LAUNCHER_CLIENT_ID .*no "smart-health-it" issuer/);
  });

  it('validates the variable with the rest of the environment', () => {
    expect(serverEnv(env({ HOUSECALL_SMART_LAUNCHER_CLIENT_ID: 'my-housecall-dev' })).HOUSECALL_SMART_LAUNCHER_CLIENT_ID).toBe('my-housecall-dev');
    expect(() => serverEnv(env({ HOUSECALL_SMART_LAUNCHER_CLIENT_ID: 'has space' }))).toThrow(/HOUSECALL_SMART_LAUNCHER_CLIENT_ID/);
    expect(serverEnv(env({})).HOUSECALL_SMART_LAUNCHER_CLIENT_ID).toBeUndefined();
  });

  it('smartConfig() reads the variable at start-up', async () => {
    vi.stubEnv('HOUSECALL_SMART_LAUNCHER_CLIENT_ID', 'from-the-environment');
    vi.resetModules();
    const { smartConfig } = await import('./config');
    expect(findIssuerByIss(smartConfig(), LAUNCHER_ISS)?.clientId).toBe('from-the-environment');
  });
});

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSmartConfig } from './config';

const file = fs.readFileSync('smart-config.json', 'utf8');

describe('smart-config.json, the sandbox issuer', () => {
  it('authenticates with the shared secret by default', () => {
    const sandbox = parseSmartConfig(file, 'smart-config.json', {} as NodeJS.ProcessEnv).issuers.find((i) => i.id === 'sandbox');
    expect(sandbox?.clientAuth).toEqual({ method: 'client_secret_basic', secretEnv: 'HOUSECALL_SANDBOX_CLIENT_SECRET' });
  });
  it('signs client assertions with its own key under HOUSECALL_SANDBOX_CLIENT_AUTH=private_key_jwt', () => {
    const sandbox = parseSmartConfig(file, 'smart-config.json', { HOUSECALL_SANDBOX_CLIENT_AUTH: 'private_key_jwt' } as unknown as NodeJS.ProcessEnv).issuers.find((i) => i.id === 'sandbox');
    expect(sandbox?.clientAuth).toEqual({ method: 'private_key_jwt', keyEnv: 'HOUSECALL_SANDBOX_PRIVATE_KEY', alg: 'ES384', kid: 'housecall-sandbox-1' });
  });
});

describe('smart-config.json, the care-team dashboard', () => {
  it('flags data older than a year as stale unless HOUSECALL_STALE_AFTER_DAYS says otherwise', () => {
    expect(parseSmartConfig(file, 'smart-config.json', {} as NodeJS.ProcessEnv).careTeam?.staleAfterDays).toBe(365);
    expect(parseSmartConfig(file, 'smart-config.json', { HOUSECALL_STALE_AFTER_DAYS: '500' } as unknown as NodeJS.ProcessEnv).careTeam?.staleAfterDays).toBe(500);
  });
  it('refuses a threshold that is not a whole number of days from 1 to 3650, naming the field', () => {
    for (const bad of ['0', '3651', 'ten', '1.5', '-3']) {
      expect(() => parseSmartConfig(file, 'smart-config.json', { HOUSECALL_STALE_AFTER_DAYS: bad } as unknown as NodeJS.ProcessEnv)).toThrow(/staleAfterDays/);
    }
  });
});

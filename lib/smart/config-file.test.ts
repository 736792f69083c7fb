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

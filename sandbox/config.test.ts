import { describe, expect, it } from 'vitest';
import { loadClients } from './auth';
import { DEFAULT_SANDBOX_CLIENT_SECRET, DEFAULT_STAFF_CLIENT_SECRET, SandboxConfigError, readSandboxConfig } from './config';

describe('readSandboxConfig', () => {
  it('defaults to the documented origins', () => {
    expect(readSandboxConfig({})).toEqual({
      origin: 'http://127.0.0.1:4010',
      host: '127.0.0.1',
      port: 4010,
      housecallUrl: 'http://localhost:3000',
      housecallClientSecret: DEFAULT_SANDBOX_CLIENT_SECRET,
      housecallClientAuth: 'client_secret_basic',
      staffClientSecret: DEFAULT_STAFF_CLIENT_SECRET,
      development: true,
    });
    expect(readSandboxConfig({ HOUSECALL_SANDBOX_CLIENT_AUTH: 'private_key_jwt' }).housecallClientAuth).toBe('private_key_jwt');
    expect(() => readSandboxConfig({ HOUSECALL_SANDBOX_CLIENT_AUTH: 'client_secret_post' })).toThrow(SandboxConfigError);
  });

  it('turns development off only for NODE_ENV=production', () => {
    expect(readSandboxConfig({ NODE_ENV: 'test' }).development).toBe(true);
    expect(readSandboxConfig({ NODE_ENV: 'production' }).development).toBe(false);
  });

  it('takes the port and host from SANDBOX_ORIGIN and drops a trailing slash', () => {
    const config = readSandboxConfig({ SANDBOX_ORIGIN: 'http://localhost:4999/', HOUSECALL_URL: 'http://app.test:8080' });
    expect(config).toMatchObject({ origin: 'http://localhost:4999', host: 'localhost', port: 4999, housecallUrl: 'http://app.test:8080' });
  });

  it.each([
    [{ SANDBOX_ORIGIN: 'not a url' }],
    [{ SANDBOX_ORIGIN: 'http://127.0.0.1:4010/fhir' }],
    [{ HOUSECALL_URL: 'ftp://localhost:3000' }],
    [{ HOUSECALL_SANDBOX_CLIENT_SECRET: 'short' }],
  ])('refuses %j', (env) => {
    expect(() => readSandboxConfig(env)).toThrow(SandboxConfigError);
  });
});

describe('loadClients', () => {
  const vars = { HOUSECALL_URL: 'http://localhost:3000', SANDBOX_ORIGIN: 'http://127.0.0.1:4010', HOUSECALL_SANDBOX_CLIENT_SECRET: 's'.repeat(20) };

  it('fills placeholders into the registered clients', () => {
    const clients = loadClients(vars);
    expect(clients.find((c) => c.client_id === 'housecall')).toMatchObject({
      token_endpoint_auth_method: 'client_secret_basic',
      client_secret: 's'.repeat(20),
      redirect_uris: ['http://localhost:3000/redirect'],
    });
    expect(clients.find((c) => c.client_id === 'conformance')).toMatchObject({
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1:4010/conformance/app.html'],
    });
  });

  it('registers housecall with private_key_jwt and its JWKS address instead of the secret when asked', () => {
    const housecall = loadClients({ ...vars, HOUSECALL_SANDBOX_CLIENT_AUTH: 'private_key_jwt' }).find((c) => c.client_id === 'housecall');
    expect(housecall).toMatchObject({ token_endpoint_auth_method: 'private_key_jwt', jwks_uri: 'http://localhost:3000/.well-known/jwks.json' });
    expect(housecall?.client_secret).toBeUndefined();
    expect(loadClients(vars).find((c) => c.client_id === 'housecall')?.jwks_uri).toBeUndefined();
  });

  it('refuses an unknown placeholder and a public client with a secret', () => {
    const base = { client_id: 'x', token_endpoint_auth_method: 'none', grant_types: ['authorization_code'], response_types: ['code'] };
    expect(() => loadClients(vars, { clients: [{ ...base, redirect_uris: ['${NOPE}/cb'] }] })).toThrow(/unknown placeholder/);
    expect(() => loadClients(vars, { clients: [{ ...base, redirect_uris: ['http://a.test/cb'], client_secret: 'x'.repeat(20) }] })).toThrow(/must not have a secret/);
  });
});

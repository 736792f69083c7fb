import { describe, expect, it } from 'vitest';
import { serverEnv } from './env';

describe('serverEnv', () => {
  it('applies defaults', () => {
    expect(serverEnv({ NODE_ENV: 'test' } as NodeJS.ProcessEnv)).toMatchObject({ HOUSECALL_ENV: 'development', HOUSECALL_URL: 'http://localhost:3000', HOUSECALL_DISCOVERY_CACHE_SECONDS: 300 });
  });
  it('names the bad variable', () => {
    expect(() => serverEnv({ HOUSECALL_URL: 'not a url' } as unknown as NodeJS.ProcessEnv)).toThrow(/HOUSECALL_URL/);
    expect(() => serverEnv({ HOUSECALL_COOKIE_SECRET: 'short' } as unknown as NodeJS.ProcessEnv)).toThrow(/HOUSECALL_COOKIE_SECRET/);
    expect(() => serverEnv({ HOUSECALL_METRICS_TOKEN: 'short' } as unknown as NodeJS.ProcessEnv)).toThrow(/HOUSECALL_METRICS_TOKEN/);
    expect(() => serverEnv({ HOUSECALL_DATABASE_URL: 'mysql://db/housecall' } as unknown as NodeJS.ProcessEnv)).toThrow(/HOUSECALL_DATABASE_URL: expected a postgres:\/\/ URL/);
    expect(serverEnv({ HOUSECALL_DATABASE_URL: 'postgres://housecall@db:5432/housecall' } as unknown as NodeJS.ProcessEnv).HOUSECALL_DATABASE_URL).toBe('postgres://housecall@db:5432/housecall');
  });
  it('refuses the plain-http opt-in and missing secrets in production', () => {
    const prod = { HOUSECALL_ENV: 'production', HOUSECALL_URL: 'https://housecall.example.org', HOUSECALL_STORE_KEY: Buffer.alloc(32).toString('base64'), HOUSECALL_COOKIE_SECRET: 'x'.repeat(32), HOUSECALL_PSEUDONYM_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(() => serverEnv(prod as unknown as NodeJS.ProcessEnv)).not.toThrow();
    expect(() => serverEnv({ ...prod, HOUSECALL_ALLOW_INSECURE_ISSUERS: '1' } as unknown as NodeJS.ProcessEnv)).toThrow(/refused/);
    expect(() => serverEnv({ ...prod, HOUSECALL_CSP_ALLOW_EVAL: '1' } as unknown as NodeJS.ProcessEnv)).toThrow(/HOUSECALL_CSP_ALLOW_EVAL=1 is refused/);
    expect(serverEnv({ HOUSECALL_ENV: 'development', HOUSECALL_CSP_ALLOW_EVAL: '1' } as unknown as NodeJS.ProcessEnv).HOUSECALL_CSP_ALLOW_EVAL).toBe('1');
    expect(() => serverEnv({ ...prod, HOUSECALL_STORE_KEY: undefined } as unknown as NodeJS.ProcessEnv)).toThrow(/HOUSECALL_STORE_KEY/);
  });
  it('requires an https HOUSECALL_URL in production, and only there', () => {
    const prod = { HOUSECALL_ENV: 'production', HOUSECALL_STORE_KEY: Buffer.alloc(32).toString('base64'), HOUSECALL_COOKIE_SECRET: 'x'.repeat(32), HOUSECALL_PSEUDONYM_KEY: Buffer.alloc(32, 1).toString('base64') };
    expect(() => serverEnv({ ...prod, HOUSECALL_URL: 'http://housecall.example.org' } as unknown as NodeJS.ProcessEnv)).toThrow('HOUSECALL_URL must be https:// when HOUSECALL_ENV=production');
    // The default (http://localhost:3000) is refused too: production must name its origin.
    expect(() => serverEnv(prod as unknown as NodeJS.ProcessEnv)).toThrow(/HOUSECALL_URL must be https/);
    expect(serverEnv({ ...prod, HOUSECALL_URL: 'https://housecall.example.org' } as unknown as NodeJS.ProcessEnv).HOUSECALL_URL).toBe('https://housecall.example.org');
    expect(serverEnv({ HOUSECALL_URL: 'http://localhost:3190' } as unknown as NodeJS.ProcessEnv).HOUSECALL_URL).toBe('http://localhost:3190');
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { publicJwks } from './client-keys';
import { parseSmartConfig } from './config';

const pem = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function issuer(id: string, enabled: boolean, kid: string) {
  return {
    id, name: id, vendor: 'epic', enabled, fhirBaseUrl: `https://${id}.test/fhir`, clientId: 'hc',
    clientAuth: { method: 'private_key_jwt', keyEnv: `KEY_${id.toUpperCase()}`, alg: 'RS384', kid },
    scopes: { clinician: ['patient/Observation.rs'], patient: ['patient/Observation.rs'] },
  };
}

describe('publicJwks', () => {
  it('publishes the keys of enabled issuers only', async () => {
    const config = parseSmartConfig(JSON.stringify({ issuers: [issuer('on', true, 'kid-on'), issuer('off', false, 'kid-off')] }), 'test');
    const jwks = await publicJwks(config, { KEY_ON: pem(), KEY_OFF: pem() } as unknown as NodeJS.ProcessEnv);
    expect(jwks.keys.map((k) => k.kid)).toEqual(['kid-on']);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS384', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('does not read the key variable of a disabled issuer, so a broken one there cannot break the endpoint', async () => {
    const config = parseSmartConfig(JSON.stringify({ issuers: [issuer('off', false, 'kid-off')] }), 'test');
    expect(await publicJwks(config, { KEY_OFF: 'not a key' } as unknown as NodeJS.ProcessEnv)).toEqual({ keys: [] });
  });
});

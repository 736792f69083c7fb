import { describe, expect, it } from 'vitest';
import { shellSource } from './shell-source';

describe('shellSource', () => {
  it('names the issuer by the host of its FHIR base URL', () => {
    expect(shellSource({ issuer: 'https://ehr.example.org/fhir/r4' })).toBe('ehr.example.org');
    expect(shellSource({ issuer: 'http://127.0.0.1:4116/fhir' })).toBe('127.0.0.1:4116');
  });

  it('falls back to the issuer as kept when it is not a URL', () => {
    expect(shellSource({ issuer: 'sandbox' })).toBe('sandbox');
    expect(shellSource({ issuer: '' })).toBe('');
  });
});

import 'server-only';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (tokens, PKCE verifiers). Each value gets a fresh 96-bit IV;
 * the associated data binds a ciphertext to the row and column it was written for, so a
 * sealed token cannot be moved to another launch record and still open.
 */
const VERSION = 'v1';

export class StoreKey {
  private constructor(private readonly key: Buffer) {}

  static fromBase64(value: string): StoreKey {
    const key = Buffer.from(value, 'base64');
    if (key.length !== 32) throw new Error('HOUSECALL_STORE_KEY must be 32 bytes, base64-encoded');
    return new StoreKey(key);
  }

  /** A key that lives only as long as this process: tokens do not survive a restart. */
  static ephemeral(): StoreKey {
    return new StoreKey(randomBytes(32));
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
  }

  /** Throws when the value was altered, sealed under another key, or for other associated data. */
  open(sealed: string, associatedData: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || !iv || body === undefined || !tag) throw new Error('sealed value is malformed');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

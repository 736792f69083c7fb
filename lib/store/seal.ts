import 'server-only';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest (tokens, PKCE verifiers, drafts, held changes). Each value gets
 * a fresh 96-bit IV; the associated data binds a ciphertext to the row and column it was written
 * for, so a sealed token cannot be moved to another launch record and still open.
 *
 * Keys rotate: a StoreKey holds one key that seals and any number of older ones that still open.
 * A value names the key that sealed it (`v2.{key id}.…`; the id is a hash of the key, which says
 * nothing of the key itself), so it is opened by that key alone; values from before key ids
 * (`v1.…`) are tried against each key. `npm run store:reseal` seals everything again under the
 * current key, after which the older keys can be dropped.
 */
const VERSION = 'v2';
const LEGACY_VERSION = 'v1';

function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('housecall-store-key-id').update(key).digest('base64url').slice(0, 11);
}

function decodeKey(value: string): Buffer {
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('HOUSECALL_STORE_KEY must be 32 bytes, base64-encoded (several, separated by commas or spaces, to rotate)');
  return key;
}

export class StoreKey {
  private readonly ids: string[];

  private constructor(private readonly keys: Buffer[]) {
    this.ids = keys.map(keyIdOf);
  }

  /**
   * One key, or several separated by commas or spaces: the first seals, every one opens (older
   * keys, until `npm run store:reseal` has sealed their values again under the first).
   */
  static fromBase64(value: string): StoreKey {
    const keys = value.split(/[\s,]+/).filter(Boolean).map(decodeKey);
    if (keys.length === 0) throw new Error('HOUSECALL_STORE_KEY is empty');
    if (new Set(keys.map((k) => k.toString('base64'))).size !== keys.length) throw new Error('HOUSECALL_STORE_KEY names the same key twice');
    return new StoreKey(keys);
  }

  /** A key that lives only as long as this process: tokens do not survive a restart. */
  static ephemeral(): StoreKey {
    return new StoreKey([randomBytes(32)]);
  }

  /** The id of the key that seals (what `sealedWithCurrent` compares with); never the key. */
  get currentId(): string {
    return this.ids[0]!;
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.ids[0], iv.toString('base64url'), body.toString('base64url'), tag.toString('base64url')].join('.');
  }

  /** True when `sealed` was sealed by the current key (nothing for `store:reseal` to do). */
  sealedWithCurrent(sealed: string): boolean {
    return sealed.startsWith(`${VERSION}.${this.ids[0]}.`);
  }

  /**
   * Throws when the value was altered, sealed for other associated data, or sealed under a key
   * this StoreKey does not hold (named as such: a key dropped before `store:reseal` ran).
   */
  open(sealed: string, associatedData: string): string {
    const parts = sealed.split('.');
    if (parts[0] === VERSION && parts.length === 5) {
      const index = this.ids.indexOf(parts[1]!);
      if (index < 0) throw new Error('sealed under a key this server does not hold (was an older HOUSECALL_STORE_KEY dropped before store:reseal?)');
      return decrypt(this.keys[index]!, parts[2]!, parts[3]!, parts[4]!, associatedData);
    }
    if (parts[0] === LEGACY_VERSION && parts.length === 4) {
      for (const key of this.keys) {
        try {
          return decrypt(key, parts[1]!, parts[2]!, parts[3]!, associatedData);
        } catch {
          // Not this key (or altered): the next one, and the error below when none opens it.
        }
      }
      throw new Error('sealed value does not open under any key this server holds');
    }
    throw new Error('sealed value is malformed');
  }
}

function decrypt(key: Buffer, iv: string, body: string, tag: string, associatedData: string): string {
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/** Derives a purpose-specific 32-byte key from the instance secret, so one leaked key reveals nothing else. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'label-studio-accounts', purpose, 32));
}

/**
 * Encrypts and fingerprints secrets that must stay retrievable (legacy API tokens): AES-256-GCM for the
 * value, HMAC-SHA-256 as a lookup key. A database copy without the instance secret yields neither.
 */
export class SecretBox {
  readonly #encryptionKey: Buffer;
  readonly #lookupKey: Buffer;

  constructor(secret: string, purpose: string) {
    this.#encryptionKey = deriveKey(secret, `${purpose}:encrypt`);
    this.#lookupKey = deriveKey(secret, `${purpose}:lookup`);
  }

  /** Keyed hash for finding the row that holds a value. */
  lookupHash(value: string): string {
    return createHmac('sha256', this.#lookupKey).update(value).digest('hex');
  }

  encrypt(value: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#encryptionKey, iv);
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  /** Decrypts a value made by `encrypt`; throws when the instance secret is not the one it was made with. */
  decrypt(sealed: string): string {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || body === undefined || !tag) throw new Error('Malformed sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}

/** Constant-time string equality. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

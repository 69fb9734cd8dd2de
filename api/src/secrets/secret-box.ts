import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

// Encryption at rest for tenant secrets the platform must be able to read back (IMAP and SMTP
// passwords, webhook signing secrets). Passwords of people and API keys are hashed, not here.
//
// Format of a stored value: `enc:v1:<keyId>:<base64(iv ‖ tag ‖ ciphertext)>`
//   v1      AES-256-GCM (node:crypto), 12-byte random IV per value, 16-byte authentication tag
//   keyId   first 8 hex digits of SHA-256(key): names the key, reveals nothing about it
//   AAD     `parley:v1:<tenantId>:<column>`, so a value copied into another tenant's row or into
//           another column does not decrypt
// A value without the `enc:` prefix is legacy plaintext (stored before encryption existed) and is
// returned as it is; `resealSecrets` (reseal-secrets.ts) encrypts such values.

const PREFIX = 'enc:';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Every column that holds a sealed secret; the name is part of the AAD. */
export const SECRET_COLUMNS = {
  mailAccountPassword: 'MailAccount.password',
  smtpPassword: 'MailSettings.smtpPassword',
  webhookSecret: 'Webhook.secret',
} as const;
export type SecretColumn = (typeof SECRET_COLUMNS)[keyof typeof SECRET_COLUMNS];

/** Where a value lives: it only decrypts there. */
export interface SecretContext { tenantId: string; column: SecretColumn }

export class SecretDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptError';
  }
}

export interface SecretBox {
  /** keyId of SECRETS_KEY: values sealed with it need no re-encryption */
  readonly currentKeyId: string;
  /** Encrypts with the current key. */
  seal(plaintext: string, ctx: SecretContext): string;
  /** Decrypts a sealed value (current or previous key), or returns legacy plaintext as it is. */
  open(stored: string, ctx: SecretContext): string;
  /** Like `open` for nullable columns. */
  openNullable(stored: string | null, ctx: SecretContext): string | null;
  /** True when `stored` is sealed with the current key (no re-encryption needed). */
  isCurrent(stored: string): boolean;
}

/**
 * Decodes a key given as base64 (standard or URL-safe, padding optional): exactly 32 bytes, or
 * null. Strict: the decoded bytes must encode back to the same text, so a typo is not silently
 * turned into a different key.
 */
export function decodeSecretsKey(text: string): Buffer | null {
  const t = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) return null;
  const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) return null;
  const canonical = (s: string) => s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (canonical(key.toString('base64')) !== canonical(t)) return null;
  return key;
}

export function secretsKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

const aad = (ctx: SecretContext) => Buffer.from(`parley:${VERSION}:${ctx.tenantId}:${ctx.column}`, 'utf8');

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/**
 * A SecretBox over the current key and any previous ones (rotation: values sealed with a previous
 * key still open; `seal` always uses the current one). Keys are 32 raw bytes.
 */
export function createSecretBox(current: Buffer, previous: Buffer[] = []): SecretBox {
  for (const k of [current, ...previous]) {
    if (k.length !== KEY_BYTES) throw new Error(`a secrets key must be ${KEY_BYTES} bytes`);
  }
  const currentKeyId = secretsKeyId(current);
  const keys = new Map<string, Buffer>();
  for (const k of previous) keys.set(secretsKeyId(k), k);
  keys.set(currentKeyId, current);

  function open(stored: string, ctx: SecretContext): string {
    if (!isSealed(stored)) return stored;
    const parts = stored.split(':');
    if (parts.length !== 4 || parts[1] !== VERSION) throw new SecretDecryptError(`unknown secret format in ${ctx.column}`);
    const key = keys.get(parts[2]);
    if (!key) throw new SecretDecryptError(`${ctx.column} was encrypted with key ${parts[2]}, which is neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS`);
    const blob = Buffer.from(parts[3], 'base64');
    if (blob.length < IV_BYTES + TAG_BYTES) throw new SecretDecryptError(`${ctx.column} is truncated`);
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(ctx));
    decipher.setAuthTag(blob.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(blob.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptError(`${ctx.column} does not decrypt (altered, or copied from another tenant or column)`);
    }
  }

  return {
    currentKeyId,
    seal(plaintext, ctx) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(aad(ctx));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${PREFIX}${VERSION}:${currentKeyId}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64')}`;
    },
    open,
    openNullable: (stored, ctx) => (stored === null ? null : open(stored, ctx)),
    isCurrent: (stored) => stored.startsWith(`${PREFIX}${VERSION}:${currentKeyId}:`),
  };
}

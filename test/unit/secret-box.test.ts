import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, decodeSecretsKey, isSealed, SECRET_COLUMNS, SecretDecryptError, secretsKeyId } from '@parley/api/secrets/secret-box.ts';
import { ConfigError, loadConfig } from '@parley/api/config.ts';

// The at-rest format of tenant secrets: enc:v1:<keyId>:<base64 iv|tag|ciphertext>, AES-256-GCM
// with the tenant and column as additional authenticated data.

const tenantA = '0190a000-0000-7000-8000-00000000000a';
const tenantB = '0190b000-0000-7000-8000-00000000000b';
const ctxA = { tenantId: tenantA, column: SECRET_COLUMNS.mailAccountPassword };
const key1 = randomBytes(32);
const key2 = randomBytes(32);

/** Flips one bit of byte `at` of the base64 blob (iv 0–11, tag 12–27, ciphertext 28–). */
function flip(sealed: string, at: number) {
  const parts = sealed.split(':');
  const blob = Buffer.from(parts[3], 'base64');
  blob[at] ^= 0x01;
  return [...parts.slice(0, 3), blob.toString('base64')].join(':');
}

describe('secret box', () => {
  it('round-trips, in the versioned format, with a fresh IV per value', () => {
    const box = createSecretBox(key1);
    const a = box.seal('pw-Ünïcødé 🔑', ctxA);
    const b = box.seal('pw-Ünïcødé 🔑', ctxA);
    expect(a).toMatch(new RegExp(`^enc:v1:${secretsKeyId(key1)}:[A-Za-z0-9+/]+=*$`));
    expect(a).not.toContain('pw-');
    expect(a).not.toBe(b);
    expect(Buffer.from(a.split(':')[3], 'base64').length).toBe(12 + 16 + Buffer.byteLength('pw-Ünïcødé 🔑'));
    expect(box.open(a, ctxA)).toBe('pw-Ünïcødé 🔑');
    expect(box.open(b, ctxA)).toBe('pw-Ünïcødé 🔑');
    expect(box.open(box.seal('', ctxA), ctxA)).toBe('');
    expect(box.isCurrent(a)).toBe(true);
    expect(isSealed(a)).toBe(true);
  });

  it('does not open a value copied to another tenant or another column', () => {
    const box = createSecretBox(key1);
    const sealed = box.seal('secret', ctxA);
    expect(() => box.open(sealed, { ...ctxA, tenantId: tenantB })).toThrow(SecretDecryptError);
    expect(() => box.open(sealed, { tenantId: tenantA, column: SECRET_COLUMNS.smtpPassword })).toThrow(/does not decrypt/);
  });

  it('rejects a tampered tag, ciphertext, IV or truncated blob', () => {
    const box = createSecretBox(key1);
    const sealed = box.seal('secret value', ctxA);
    for (const at of [0, 11, 12, 27, 28, 30]) expect(() => box.open(flip(sealed, at), ctxA)).toThrow(SecretDecryptError);
    expect(() => box.open(sealed.slice(0, 20), ctxA)).toThrow(SecretDecryptError);
    expect(() => box.open(sealed.replace('enc:v1:', 'enc:v9:'), ctxA)).toThrow(/unknown secret format/);
  });

  it('opens values of a previous key and seals with the current one (rotation)', () => {
    const old = createSecretBox(key1);
    const rotated = createSecretBox(key2, [key1]);
    const before = old.seal('secret', ctxA);
    expect(rotated.open(before, ctxA)).toBe('secret');
    expect(rotated.isCurrent(before)).toBe(false);
    const after = rotated.seal('secret', ctxA);
    expect(after.split(':')[2]).toBe(secretsKeyId(key2));
    expect(rotated.isCurrent(after)).toBe(true);
    // once the previous key is dropped, its values no longer open, with a message naming the key
    expect(() => createSecretBox(key2).open(before, ctxA)).toThrow(new RegExp(`key ${secretsKeyId(key1)}.*neither SECRETS_KEY nor in SECRETS_KEY_PREVIOUS`));
    expect(() => old.open(after, ctxA)).toThrow(SecretDecryptError);
  });

  it('passes legacy plaintext through unchanged (rows from before encryption)', () => {
    const box = createSecretBox(key1);
    expect(box.open('plain-old-password', ctxA)).toBe('plain-old-password');
    expect(box.openNullable(null, ctxA)).toBeNull();
    expect(box.isCurrent('plain-old-password')).toBe(false);
    expect(isSealed('plain-old-password')).toBe(false);
  });

  it('accepts only 32-byte keys in base64 (standard or URL-safe), strictly', () => {
    expect(decodeSecretsKey(key1.toString('base64'))?.equals(key1)).toBe(true);
    expect(decodeSecretsKey(key1.toString('base64url'))?.equals(key1)).toBe(true);
    expect(decodeSecretsKey(randomBytes(16).toString('base64'))).toBeNull();
    expect(decodeSecretsKey(randomBytes(33).toString('base64'))).toBeNull();
    expect(decodeSecretsKey('not base64 at all!')).toBeNull();
    expect(decodeSecretsKey('x'.repeat(44))).toBeNull();
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('SECRETS_KEY configuration', () => {
  const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' };
  const failure = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error('config was accepted');
  };

  it('is required and must be 32 bytes of base64; the message names the variable but never echoes the value', () => {
    expect(failure(base)).toMatch(/SECRETS_KEY: required: 32 random bytes, base64/);
    const short = randomBytes(16).toString('base64');
    const message = failure({ ...base, SECRETS_KEY: short });
    expect(message).toMatch(/SECRETS_KEY: must be 32 random bytes/);
    expect(message).not.toContain(short);
    expect(failure({ ...base, SECRETS_KEY: key1.toString('base64'), SECRETS_KEY_PREVIOUS: `${key2.toString('base64')},nope` })).toMatch(/SECRETS_KEY_PREVIOUS: each comma-separated key/);
  });

  it('decodes the current and previous keys', () => {
    const c = loadConfig({ ...base, SECRETS_KEY: key1.toString('base64'), SECRETS_KEY_PREVIOUS: `${key2.toString('base64url')}, ` });
    expect(c.secretsKeys.current.equals(key1)).toBe(true);
    expect(c.secretsKeys.previous.map((k) => k.toString('hex'))).toEqual([key2.toString('hex')]);
  });
});

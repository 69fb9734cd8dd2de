import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSecretsKey } from '@parley/api/secrets/secret-box.ts';
import { platformSecretsKey } from '../../scripts/lib/secrets-key.ts';

// `./parley up` works without configuration: the SECRETS_KEY is generated once into the data
// directory and reused on every later start.

const dir = mkdtempSync(join(tmpdir(), 'parley-secrets-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the platform secrets key', () => {
  it('is generated once (32 bytes, base64, file mode 600), then reused; SECRETS_KEY wins', async () => {
    const first = await platformSecretsKey(dir, {});
    expect(decodeSecretsKey(first)).toHaveLength(32);
    expect(statSync(join(dir, 'secrets-key')).mode & 0o777).toBe(0o600);
    expect(await platformSecretsKey(dir, {})).toBe(first);
    // two `./parley` commands starting at once on a fresh data directory end up with one key
    const fresh = mkdtempSync(join(dir, 'fresh-'));
    const [a, b] = await Promise.all([platformSecretsKey(fresh, {}), platformSecretsKey(fresh, {})]);
    expect(a).toBe(b);
    expect(await platformSecretsKey(dir, { SECRETS_KEY: 'from-env' })).toBe('from-env');
  });
});

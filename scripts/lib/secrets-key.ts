import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * The key encrypting tenant secrets at rest (SECRETS_KEY, api/src/secrets/README.md): the
 * environment's, else 32 random bytes generated once and kept in `<dataDir>/secrets-key` (mode
 * 600). Losing the file makes stored IMAP/SMTP passwords and webhook secrets unreadable (admins
 * enter them again), so back it up with the data directory, apart from database dumps.
 */
export async function platformSecretsKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.SECRETS_KEY) return env.SECRETS_KEY;
  const file = path.join(dataDir, 'secrets-key');
  try {
    const saved = (await fs.readFile(file, 'utf8')).trim();
    if (saved) return saved;
  } catch {
    /* first run */
  }
  // Written whole to a temporary file, then linked into place (atomic, and refused if the file
  // exists): if another ./parley made one first, keep theirs; everyone uses the one on disk.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await fs.writeFile(temp, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
  return (await fs.readFile(file, 'utf8')).trim();
}

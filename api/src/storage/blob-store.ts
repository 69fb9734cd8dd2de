import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';

/**
 * Where bytes live (raw mails, attachments): never in a database row. Keys are relative paths
 * such as `raw/<tenantId>/<sha256>.eml`; content-addressed keys make writes idempotent. Local
 * disk now; an S3-compatible store implements the same methods (`delete` is optional: a store
 * without it keeps the bytes, e.g. one with its own lifecycle rules).
 */
export interface BlobStore {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** Removes the bytes; a missing key is not an error. */
  delete?(key: string): Promise<void>;
}

const SAFE_KEY = /^[a-z0-9][a-z0-9._\-/]*$/i;

/** Local disk: write to a temporary file, fsync, rename (atomic), so a crash never leaves half a file. */
export function localDiskBlobStore(root: string): BlobStore {
  const base = resolve(root);
  const pathOf = (key: string) => {
    if (!SAFE_KEY.test(key) || key.includes('..')) throw new Error(`invalid blob key: ${key}`);
    return join(base, key);
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const fh = await open(tmp, 'w');
      try {
        await fh.writeFile(bytes);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
    },
    get: (key) => readFile(pathOf(key)),
    async exists(key) {
      try {
        await stat(pathOf(key));
        return true;
      } catch {
        return false;
      }
    },
    async delete(key) {
      try {
        await unlink(pathOf(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    },
  };
}

import { mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  /**
   * Stores a stream without holding it in memory; resolves with its size and SHA-256 once the bytes
   * are durable under `key`. A stream that errors (e.g. destroyed for being too large) stores nothing.
   */
  putStream(key: string, stream: Readable): Promise<{ size: number; sha256: string }>;
  /** The bytes as a stream (for downloads); rejects when the key does not exist. */
  openRead(key: string): Promise<Readable>;
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
    async putStream(key, stream) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
      const hash = createHash('sha256');
      let size = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, done) {
          size += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      });
      try {
        const out = createWriteStream(tmp, { flags: 'wx' });
        await pipeline(stream, count, out);
        const fh = await open(tmp, 'r+');
        try {
          await fh.sync();
        } finally {
          await fh.close();
        }
        await rename(tmp, path);
      } catch (e) {
        await unlink(tmp).catch(() => {});
        throw e;
      }
      return { size, sha256: hash.digest('hex') };
    },
    async openRead(key) {
      const path = pathOf(key);
      await stat(path); // a missing key rejects here, not as a stream error mid-response
      return createReadStream(path);
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

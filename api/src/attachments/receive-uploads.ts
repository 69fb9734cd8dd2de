import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { Busboy, type BusboyFileStream } from '@fastify/busboy';
import { withTenant } from '@parley/db';
import type { TenantViewer } from '../auth/viewer.ts';
import { ValidationError } from '../errors/app-error.ts';
import type { Services } from '../services.ts';
import { PayloadTooLargeError } from './attachment-errors.ts';
import { sanitizeFilename } from './sanitize-filename.ts';
import { sniffContentType } from './sniff-content-type.ts';

export interface UploadLimits { maxFileBytes: number; maxRequestBytes: number; maxFiles: number }
export interface StoredUpload { id: string; filename: string; contentType: string; size: number }

export const uploadLimitsOf = (c: Services['config']): UploadLimits => ({
  maxFileBytes: c.ATTACHMENT_MAX_FILE_BYTES, maxRequestBytes: c.ATTACHMENT_MAX_REQUEST_BYTES, maxFiles: c.ATTACHMENT_MAX_FILES,
});

const mib = (n: number) => (n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MiB` : `${n} bytes`);

interface Pending { key: string; filename: string; declared: string; head: Buffer; size: number; sha256: string; done: boolean }

/**
 * Reads a multipart/form-data request (any number of file fields, up to the limits), streaming
 * each file to the blob store under a fresh key while counting and hashing it: nothing is held in
 * memory but the first bytes (for the content type). A file or the request over its limit, or too
 * many files, fails with PayloadTooLargeError and leaves no bytes behind. The upload rows are
 * written in one transaction once every file is stored.
 */
export async function receiveUploads(services: Services, viewer: TenantViewer, req: IncomingMessage, limits: UploadLimits): Promise<StoredUpload[]> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\b/i.test(contentType)) throw new ValidationError('Send the files as multipart/form-data', 'content-type');
  const stored: Pending[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let failed: Error | null = null;
      let total = 0;
      let chain = Promise.resolve();
      const fail = (err: Error) => {
        if (failed) return;
        failed = err;
        req.unpipe(bb);
        reject(err);
      };
      let bb: ReturnType<typeof Busboy>;
      try {
        bb = Busboy({
          headers: req.headers as never,
          limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles, fields: 20, fieldSize: 4096, parts: limits.maxFiles + 20 },
        });
      } catch (e) {
        return reject(new ValidationError(`Not a valid multipart body: ${(e as Error).message}`, 'content-type'));
      }
      bb.on('file', (_field: string, file: BusboyFileStream, name: string, _enc: string, mime: string) => {
        if (failed) return void file.resume();
        const pending: Pending = { key: `upl/${viewer.tenantId}/${randomBytes(16).toString('hex')}`, filename: sanitizeFilename(name), declared: mime, head: Buffer.alloc(0), size: 0, sha256: '', done: false };
        stored.push(pending); // in request order; only stored (done) ones are kept
        file.on('limit', () => file.destroy(new PayloadTooLargeError('file', limits.maxFileBytes, `The file "${pending.filename}" is larger than ${mib(limits.maxFileBytes)}`)));
        const meter = new Transform({
          transform(chunk: Buffer, _e, done) {
            total += chunk.length;
            if (total > limits.maxRequestBytes) return done(new PayloadTooLargeError('request', limits.maxRequestBytes, `The files together are larger than ${mib(limits.maxRequestBytes)}`));
            if (pending.head.length < 512) pending.head = Buffer.concat([pending.head, chunk.subarray(0, 512 - pending.head.length)]);
            done(null, chunk);
          },
        });
        // Listeners first: the store may still be preparing (mkdir) when the first bytes fail a limit.
        meter.on('error', (e) => fail(e));
        file.on('error', (e) => meter.destroy(e));
        file.pipe(meter);
        const put = services.blobs.putStream(pending.key, meter).then((r) => {
          if (failed) return void services.blobs.delete?.(pending.key); // the request failed meanwhile
          pending.size = r.size;
          pending.sha256 = r.sha256;
          pending.done = true;
        }, (e: Error) => fail(e));
        chain = chain.then(() => put);
      });
      bb.on('filesLimit', () => fail(new PayloadTooLargeError('count', limits.maxFiles, `At most ${limits.maxFiles} files per upload`)));
      bb.on('error', (e: unknown) => fail(new ValidationError(`Not a valid multipart body: ${e instanceof Error ? e.message : String(e)}`)));
      bb.on('finish', () => {
        void chain.then(() => {
          if (failed) return;
          resolve();
        });
      });
      req.on('aborted', () => fail(new ValidationError('The upload was interrupted')));
      req.pipe(bb);
    });
    if (!stored.some((p) => p.done)) throw new ValidationError('The request contains no file', 'file');
    const rows = await withTenant(services.db, viewer.tenantId, async (tx) => {
      const out: StoredUpload[] = [];
      for (const p of stored.filter((x) => x.done)) {
        const row = await tx.attachmentUpload.create({
          data: {
            tenantId: viewer.tenantId,
            uploadedByUserId: viewer.kind === 'agent' ? viewer.userId : null,
            uploadedByCustomerUserId: viewer.kind === 'customer' ? viewer.customerUserId : null,
            filename: p.filename, contentType: sniffContentType(p.head, p.declared), size: p.size, storageKey: p.key, sha256: p.sha256,
          },
          select: { id: true, filename: true, contentType: true, size: true },
        });
        out.push(row);
      }
      return out;
    });
    return rows;
  } catch (e) {
    await Promise.allSettled(stored.filter((p) => p.done).map((p) => services.blobs.delete?.(p.key)));
    throw e;
  }
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { authenticate } from '../auth/authenticate.ts';
import { isTenantViewer, type TenantViewer } from '../auth/viewer.ts';
import { AppError, ErrorCode, ForbiddenError, NotFoundError, RateLimitedError, UnauthenticatedError } from '../errors/app-error.ts';
import type { Services } from '../services.ts';
import { findDownloadable } from './find-downloadable.ts';
import { PayloadTooLargeError } from './attachment-errors.ts';
import { receiveUploads, uploadLimitsOf } from './receive-uploads.ts';
import { isInlineSafe } from './sniff-content-type.ts';

export const UPLOAD_PATH = '/attachments';
export const DOWNLOAD_PATH = /^\/attachments\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:\?.*)?$/i;

const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401, [ErrorCode.TENANT_SUSPENDED]: 403, [ErrorCode.FORBIDDEN]: 403, [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.VALIDATION]: 400, [ErrorCode.RATE_LIMITED]: 429, [ErrorCode.PAYLOAD_TOO_LARGE]: 413,
};

/**
 * Only `Authorization: Bearer <session token or API key>`, never the session cookie: a page on
 * another site cannot make a browser upload or fetch files with the user's cookie (no CSRF).
 */
async function tenantViewerOf(services: Services, req: IncomingMessage): Promise<TenantViewer> {
  const auth = req.headers.authorization;
  const token = auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() || null : null;
  const viewer = await authenticate(services, token);
  if (!isTenantViewer(viewer)) throw new UnauthenticatedError('Sign in as an agent or customer (Authorization: Bearer …)');
  return viewer;
}

function sendError(services: Services, req: IncomingMessage, res: ServerResponse, e: unknown) {
  const known = e instanceof AppError;
  if (!known) services.log.error({ err: (e as Error).message }, 'attachment request failed');
  const status = known ? (STATUS[e.code] ?? 400) : 500;
  const extensions = { code: known ? e.code : 'INTERNAL', ...(e instanceof PayloadTooLargeError ? { limit: e.limit, max: e.max } : {}) };
  const body = JSON.stringify({ errors: [{ message: known ? e.message : 'Internal error', extensions }] });
  if (res.headersSent) return void res.destroy();
  const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
  if (e instanceof RateLimitedError) headers['retry-after'] = String(e.retryAfterSeconds);
  // Whatever of the body is still coming is read and dropped, so the client sees this answer
  // instead of a reset connection; past twice the request limit the connection is cut.
  if (!req.complete) {
    headers.connection = 'close';
    let drained = 0;
    const cap = services.config.ATTACHMENT_MAX_REQUEST_BYTES * 2;
    req.on('data', (c: Buffer) => {
      drained += c.length;
      if (drained > cap) req.destroy();
    });
    req.resume();
    req.once('end', () => res.writeHead(status, headers).end(body));
    req.once('close', () => { if (!res.headersSent) res.writeHead(status, headers).end(body); });
    return;
  }
  res.writeHead(status, headers).end(body);
}

/** POST /attachments: multipart/form-data with one or more files → 201 { uploads: [{ id, filename, contentType, size }] }. */
export async function uploadRoute(services: Services, req: IncomingMessage, res: ServerResponse) {
  try {
    const viewer = await tenantViewerOf(services, req);
    if (viewer.kind === 'agent' && viewer.apiKey && !viewer.apiKey.scopes.includes('tickets:write')) {
      throw new ForbiddenError('Uploading needs an API key with the tickets:write scope');
    }
    await services.rateLimits.attachmentUpload(`${viewer.tenantId}:${viewer.kind === 'agent' ? viewer.userId : viewer.customerUserId}`);
    const limits = uploadLimitsOf(services.config);
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxRequestBytes + 64 * 1024) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify({
        errors: [{ message: `The upload is larger than ${limits.maxRequestBytes} bytes`, extensions: { code: ErrorCode.PAYLOAD_TOO_LARGE, limit: 'request', max: limits.maxRequestBytes } }],
      }));
      req.destroy();
      return;
    }
    const uploads = await receiveUploads(services, viewer, req, limits);
    res.writeHead(201, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ uploads }));
  } catch (e) {
    sendError(services, req, res, e);
  }
}

/** RFC 6266/5987: an ASCII fallback plus the UTF-8 name. */
export function contentDisposition(kind: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** GET /attachments/:id: the bytes, for those who may see the article (find-downloadable.ts). */
export async function downloadRoute(services: Services, req: IncomingMessage, res: ServerResponse, id: string) {
  try {
    const viewer = await tenantViewerOf(services, req);
    const file = await findDownloadable(services.db, viewer, id.toLowerCase());
    if (!file) throw new NotFoundError('Attachment');
    const stream = await services.blobs.openRead(file.storageKey).catch(() => { throw new NotFoundError('Attachment', 'The file of this attachment is gone'); });
    const inline = isInlineSafe(file.contentType);
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': String(file.size),
      'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', file.filename),
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'cache-control': 'private, max-age=300',
    });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(stream, res);
  } catch (e) {
    sendError(services, req, res, e);
  }
}

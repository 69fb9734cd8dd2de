import type { TenantTx } from '@parley/db';
import type { TenantViewer } from '../auth/viewer.ts';
import { ValidationError } from '../errors/app-error.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import { AttachmentUnusableError } from './attachment-errors.ts';

/** What ticket use cases need to attach uploads (set by graphql/use-case-context.ts). */
export interface AttachmentContext {
  /** Most attachments per article (ATTACHMENT_MAX_FILES) */
  maxFiles: number;
  /** Where the bytes are, for reply mails that carry them */
  blobs: Pick<BlobStore, 'get'>;
}

export interface BoundAttachment { id: string; filename: string; contentType: string; size: number; storageKey: string }

/**
 * Attaches the viewer's own uploads to a new article, inside the transaction that writes it: each id
 * must be an unbound upload of this account (RLS hides other tenants'; other accounts' look unknown).
 * The claim is a conditional update, so two requests racing for one upload never both get it.
 */
export async function bindUploads(tx: TenantTx, viewer: TenantViewer, articleId: string, ids: readonly string[] | undefined, maxFiles: number): Promise<BoundAttachment[]> {
  const wanted = [...new Set(ids ?? [])];
  if (!wanted.length) return [];
  if (wanted.length > maxFiles) throw new ValidationError(`At most ${maxFiles} attachments per message`, 'attachmentIds');
  const owner = viewer.kind === 'agent' ? { uploadedByUserId: viewer.userId } : { uploadedByCustomerUserId: viewer.customerUserId };
  const uploads = await tx.attachmentUpload.findMany({ where: { id: { in: wanted }, ...owner } });
  for (const id of wanted) {
    const upload = uploads.find((u) => u.id === id);
    if (!upload) throw new AttachmentUnusableError(id, 'NOT_FOUND');
    if (upload.boundAt) throw new AttachmentUnusableError(id, 'ALREADY_USED');
  }
  const claimed = await tx.attachmentUpload.updateMany({ where: { id: { in: wanted }, boundAt: null, ...owner }, data: { boundAt: new Date() } });
  if (claimed.count !== wanted.length) throw new AttachmentUnusableError(wanted[0], 'ALREADY_USED');
  // The attachment keeps the upload's id: the id the client got back is the one it downloads.
  const ordered = wanted.map((id) => uploads.find((u) => u.id === id)!);
  await tx.attachment.createMany({
    data: ordered.map((u) => ({
      id: u.id, tenantId: u.tenantId, articleId, filename: u.filename, contentType: u.contentType, size: u.size,
      storageKey: u.storageKey, sha256: u.sha256, inline: false,
    })),
  });
  return ordered.map((u) => ({ id: u.id, filename: u.filename, contentType: u.contentType, size: u.size, storageKey: u.storageKey }));
}

import { withTenant, type Db } from '@parley/db';
import type { TenantViewer } from '../auth/viewer.ts';
import { loadQueueAccess } from '../tickets/queue-access.ts';

export interface Downloadable { id: string; filename: string; contentType: string; size: number; storageKey: string }

type TicketRef = { queueId: string; customerUserId: string | null; customerCompanyId: string | null };

/**
 * The attachment if this viewer may download it, else null (callers answer 404 either way, so
 * nobody learns that an id exists). Row-level security limits it to the viewer's tenant. Agents
 * need read permission on the queue of the article's ticket (or of the ticket it was merged
 * into); customers only get attachments of articles visible to them — never of internal notes —
 * on their own tickets, or their company's when they may see those.
 */
export async function findDownloadable(db: Db, viewer: TenantViewer, id: string): Promise<Downloadable | null> {
  return withTenant(db, viewer.tenantId, async (tx) => {
    const att = await tx.attachment.findUnique({
      where: { id },
      select: {
        id: true, filename: true, contentType: true, size: true, storageKey: true,
        article: {
          select: {
            visibleToCustomer: true, deletedAt: true,
            ticket: { select: { queueId: true, customerUserId: true, customerCompanyId: true, mergedInto: { select: { queueId: true, customerUserId: true, customerCompanyId: true } } } },
          },
        },
      },
    });
    if (!att || att.article.deletedAt) return null;
    const tickets: TicketRef[] = [att.article.ticket, ...(att.article.ticket.mergedInto ? [att.article.ticket.mergedInto] : [])];
    let allowed: boolean;
    if (viewer.kind === 'agent') {
      const access = await loadQueueAccess(tx, viewer);
      allowed = tickets.some((t) => access.has(t.queueId, 'RO'));
    } else {
      allowed = att.article.visibleToCustomer && tickets.some((t) => t.customerUserId === viewer.customerUserId
        || (viewer.seesCompanyTickets && viewer.companyId !== null && t.customerCompanyId === viewer.companyId));
    }
    if (!allowed) return null;
    const { article: _article, ...file } = att;
    return file;
  });
}

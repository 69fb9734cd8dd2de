import { withTenant, type Prisma, type SenderType, type TenantTx, type TicketChannel } from '@parley/db';
import { z } from 'zod';
import { actorOf, type Actor } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { findOrCreateCustomerByEmail } from '../customers/create-customer-user.ts';
import { recordHistory } from './history.ts';
import { loadQueueAccess, requirePermission } from './queue-access.ts';
import { nextTicketNumber } from './ticket-number.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';

export const createTicketInput = z.object({
  queueId: z.uuid(),
  title: z.string().trim().min(1).max(255),
  body: z.string().min(1).max(1_000_000),
  customerEmail: z.email().trim().toLowerCase().optional(),
  customerName: z.string().trim().max(200).optional(),
  priorityId: z.uuid().optional(),
  typeId: z.uuid().optional(),
  ownerId: z.uuid().optional(),
  channel: z.enum(['EMAIL', 'PHONE', 'PORTAL', 'NOTE', 'CHAT', 'API']).optional(),
  sourceUrl: z.string().max(2000).optional(),
});
export type CreateTicketInput = z.input<typeof createTicketInput>;

/**
 * Opens a ticket with its first article. Agents need the create permission on the queue and
 * may open it for a customer (phone/mail on behalf); customers only in queues open to them.
 */
export async function createTicket(ctx: UseCaseContext, raw: CreateTicketInput) {
  const input = parseInput(createTicketInput, raw);
  const { viewer } = ctx;
  const tenantId = viewer.tenantId;
  const now = clock(ctx);

  const { tenant, queue } = await withTenant(ctx.db, tenantId, async (tx) => {
    const [tenant, queue] = await Promise.all([
      tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { id: true, ticketNumberFormat: true, systemId: true } }),
      tx.queue.findFirst({ where: { id: input.queueId, active: true }, select: { id: true, ticketPrefix: true, openToCustomers: true } }),
    ]);
    if (!queue) throw new NotFoundError('Queue');
    if (viewer.kind === 'customer') {
      if (!queue.openToCustomers) throw new ForbiddenError('Customers cannot open tickets in this queue');
    } else {
      requirePermission(await loadQueueAccess(tx, viewer), queue.id, 'CREATE', 'open tickets');
    }
    return { tenant, queue };
  });
  const number = await nextTicketNumber(ctx.db, tenant, queue, now);

  return withTenant(ctx.db, tenantId, async (tx) => {
    const [state, priority] = await Promise.all([
      tx.ticketState.findFirst({ where: { type: 'NEW', active: true }, orderBy: { name: 'asc' } }),
      input.priorityId
        ? tx.priority.findFirst({ where: { id: input.priorityId, active: true } })
        : tx.priority.findFirst({ where: { level: 3, active: true } }),
    ]);
    if (!state) throw new ValidationError('The tenant has no active state of type new');
    if (!priority) throw new ValidationError('Unknown priority', 'priorityId');

    let customer: { id: string; companyId: string | null } | null = null;
    if (viewer.kind === 'customer') {
      customer = { id: viewer.customerUserId, companyId: viewer.companyId };
    } else if (input.customerEmail) {
      customer = await findOrCreateCustomerByEmail(tx, tenantId, input.customerEmail, input.customerName);
    }
    const channel: TicketChannel = input.channel ?? (viewer.kind === 'customer' ? 'PORTAL' : viewer.apiKey ? 'API' : 'PHONE');
    const fromCustomer = viewer.kind === 'customer' || channel === 'EMAIL' || channel === 'PORTAL';
    const { ticket } = await insertTicket(tx, {
      tenantId, number, title: input.title, queueId: input.queueId, stateId: state.id, priorityId: priority.id,
      typeId: input.typeId, ownerId: input.ownerId, channel, customer, now, actor: actorOf(viewer),
      submitter: { ip: ctx.meta?.ip, userAgent: ctx.meta?.userAgent, sourceUrl: input.sourceUrl },
      article: {
        channel: channel === 'API' ? 'PORTAL' : channel,
        senderType: fromCustomer ? 'CUSTOMER' : 'AGENT', visibleToCustomer: channel !== 'NOTE',
        subject: input.title, bodyText: input.body,
        authorUserId: viewer.kind === 'agent' ? viewer.userId : null,
        authorCustomerUserId: viewer.kind === 'customer' ? viewer.customerUserId : null,
      },
    });
    return ticket;
  });
}

export interface NewTicket {
  tenantId: string;
  number: string;
  title: string;
  queueId: string;
  stateId: string;
  priorityId: string;
  typeId?: string | null;
  ownerId?: string | null;
  channel: TicketChannel;
  customer: { id: string; companyId: string | null } | null;
  submitter?: { ip?: string | null; userAgent?: string | null; sourceUrl?: string | null };
  now: Date;
  actor: Actor;
  article: {
    channel: TicketChannel;
    senderType: SenderType;
    visibleToCustomer: boolean;
    subject: string | null;
    bodyText: string;
    bodyHtml?: string | null;
    authorUserId?: string | null;
    authorCustomerUserId?: string | null;
  } & Pick<Prisma.ArticleUncheckedCreateInput, 'fromAddress' | 'toAddresses' | 'ccAddresses' | 'messageId' | 'inReplyTo' | 'references'>;
}

/**
 * Writes a ticket with its first article and the "created" history row, inside the caller's
 * transaction. Permission checks and number allocation are the caller's: `createTicket` for
 * people, the mail pipeline (api/src/mail/inbound/ingest-mail.ts) for the customer behind a From.
 */
export async function insertTicket(tx: TenantTx, t: NewTicket) {
  const ticket = await tx.ticket.create({
    data: {
      tenantId: t.tenantId, number: t.number, title: t.title.slice(0, 255), queueId: t.queueId, stateId: t.stateId, priorityId: t.priorityId,
      typeId: t.typeId ?? null, ownerId: t.ownerId ?? null, channel: t.channel,
      customerUserId: t.customer?.id, customerCompanyId: t.customer?.companyId,
      submitterIp: t.submitter?.ip, submitterUserAgent: t.submitter?.userAgent?.slice(0, 500), submitterSourceUrl: t.submitter?.sourceUrl,
      createdAt: t.now,
    },
  });
  const article = await tx.article.create({
    data: { ...t.article, tenantId: t.tenantId, ticketId: ticket.id, createdAt: t.now },
  });
  await recordHistory(tx, t.tenantId, ticket.id, t.actor, [{ action: 'created', newValue: t.number }]);
  return { ticket, article };
}

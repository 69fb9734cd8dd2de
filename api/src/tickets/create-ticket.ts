import { withTenant, type TicketChannel } from '@parley/db';
import { z } from 'zod';
import { actorOf } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { findOrCreateCustomerByEmail } from '../customers/create-customer-user.ts';
import { billingHistory, consumeIncidentIfRequired } from '../billing/consume-incident.ts';
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
    const ticket = await tx.ticket.create({
      data: {
        tenantId, number, title: input.title, queueId: input.queueId, stateId: state.id, priorityId: priority.id,
        typeId: input.typeId, ownerId: input.ownerId, channel,
        customerUserId: customer?.id, customerCompanyId: customer?.companyId,
        submitterIp: ctx.meta?.ip, submitterUserAgent: ctx.meta?.userAgent?.slice(0, 500), submitterSourceUrl: input.sourceUrl,
        createdAt: now,
      },
    });
    const fromCustomer = viewer.kind === 'customer' || channel === 'EMAIL' || channel === 'PORTAL';
    await tx.article.create({
      data: {
        tenantId, ticketId: ticket.id, channel: channel === 'API' ? 'PORTAL' : channel,
        senderType: fromCustomer ? 'CUSTOMER' : 'AGENT', visibleToCustomer: channel !== 'NOTE',
        subject: input.title, bodyText: input.body,
        authorUserId: viewer.kind === 'agent' ? viewer.userId : null,
        authorCustomerUserId: viewer.kind === 'customer' ? viewer.customerUserId : null,
        createdAt: now,
      },
    });
    const billing = await consumeIncidentIfRequired(tx, {
      tenantId, ticketId: ticket.id, queueId: ticket.queueId, customerUserId: customer?.id, moment: 'ON_CREATE', strict: viewer.kind === 'customer', now,
    });
    await recordHistory(tx, tenantId, ticket.id, actorOf(viewer), [{ action: 'created', newValue: number }, ...billingHistory(billing)]);
    return ticket;
  });
}

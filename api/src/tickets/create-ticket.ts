import { tenantScopedDb, withTenant, type Prisma, type SenderType, type TenantTx, type TicketChannel } from '@parley/db';
import { z } from 'zod';
import { actorOf, type Actor } from '../auth/viewer.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { findOrCreateCustomerByEmail } from '../customers/create-customer-user.ts';
import { billingHistory, consumeIncidentIfRequired } from '../billing/consume-incident.ts';
import { recordHistory } from './history.ts';
import { publishTicketEvent } from '../events/publish-ticket-event.ts';
import { loadQueueAccess, requirePermission } from './queue-access.ts';
import { nextTicketNumber } from './ticket-number.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';
import { lookup, vocabulary, type Vocabulary } from './vocabulary.ts';
import { bindUploads } from '../attachments/bind-uploads.ts';

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
  /** Uploads (POST /attachments) of the viewer to attach to the first article; each can be used once */
  attachmentIds: z.array(z.uuid()).max(100).optional(),
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

  // The number comes first, from its own one-round-trip counter; what it needs (numbering
  // scheme, queue prefix) and the default state and priority come from the vocabulary cache.
  // Whether the queue is active and the viewer may open tickets in it is decided inside the
  // writing transaction below, never from a cache. A refused request leaves a gap in numbers.
  const tenantDb = tenantScopedDb(ctx.db, tenantId);
  const vocab = await vocabulary(tenantDb, tenantId);
  const knownQueue = await lookup(tenantDb, tenantId, 'queues', input.queueId);
  if (!knownQueue) throw new NotFoundError('Queue');
  const state = newTicketState(vocab);
  if (!state) throw new ValidationError('The tenant has no active state of type new');
  const priority = input.priorityId
    ? await lookup(tenantDb, tenantId, 'priorities', input.priorityId)
    : [...vocab.priorities.values()].find((p) => p.level === 3 && p.active);
  if (!priority || !priority.active) throw new ValidationError('Unknown priority', 'priorityId');
  const number = await nextTicketNumber(ctx.db, vocab.tenant, knownQueue, now);

  const ticket = await withTenant(ctx.db, tenantId, async (tx) => {
    const queue = await tx.queue.findFirst({ where: { id: input.queueId, active: true }, select: { id: true, openToCustomers: true } });
    if (!queue) throw new NotFoundError('Queue');
    if (viewer.kind === 'customer') {
      if (!queue.openToCustomers) throw new ForbiddenError('Customers cannot open tickets in this queue');
    } else {
      requirePermission(await loadQueueAccess(tx, viewer), queue.id, 'CREATE', 'open tickets');
    }

    let customer: { id: string; companyId: string | null } | null = null;
    if (viewer.kind === 'customer') {
      customer = { id: viewer.customerUserId, companyId: viewer.companyId };
    } else if (input.customerEmail) {
      customer = await findOrCreateCustomerByEmail(tx, tenantId, input.customerEmail, input.customerName);
    }
    const channel: TicketChannel = input.channel ?? (viewer.kind === 'customer' ? 'PORTAL' : viewer.apiKey ? 'API' : 'PHONE');
    const fromCustomer = viewer.kind === 'customer' || channel === 'EMAIL' || channel === 'PORTAL';
    const { ticket, article } = await insertTicket(tx, {
      tenantId, number, title: input.title, queueId: input.queueId, stateId: state.id, priorityId: priority.id,
      typeId: input.typeId, ownerId: input.ownerId, channel, customer, now, actor: actorOf(viewer),
      strictIncident: viewer.kind === 'customer',
      submitter: { ip: ctx.meta?.ip, userAgent: ctx.meta?.userAgent, sourceUrl: input.sourceUrl },
      article: {
        channel: channel === 'API' ? 'PORTAL' : channel,
        senderType: fromCustomer ? 'CUSTOMER' : 'AGENT', visibleToCustomer: channel !== 'NOTE',
        subject: input.title, bodyText: input.body,
        authorUserId: viewer.kind === 'agent' ? viewer.userId : null,
        authorCustomerUserId: viewer.kind === 'customer' ? viewer.customerUserId : null,
      },
    });
    await bindUploads(tx, viewer, article.id, input.attachmentIds, ctx.attachments?.maxFiles ?? 10);
    return ticket;
  });
  await publishTicketEvent(ctx, 'TICKET_CREATED', ticket);
  return ticket;
}

/** The state new tickets get: the first active one of type new, by name. */
function newTicketState(vocab: Vocabulary) {
  return [...vocab.states.values()].filter((s) => s.type === 'NEW' && s.active).sort((a, b) => a.name.localeCompare(b.name))[0] ?? null;
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
  /** Opened through the portal's guest form (no sign-in) */
  submittedAsGuest?: boolean;
  /** A customer opening it themselves is refused with NoIncidentLeftError when their plan needs an incident they lack; everyone else is not (the ticket is marked unpaid) */
  strictIncident?: boolean;
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
      submittedAsGuest: t.submittedAsGuest ?? false,
      submitterIp: t.submitter?.ip, submitterUserAgent: t.submitter?.userAgent?.slice(0, 500), submitterSourceUrl: t.submitter?.sourceUrl,
      createdAt: t.now,
    },
  });
  const article = await tx.article.create({
    data: { ...t.article, tenantId: t.tenantId, ticketId: ticket.id, createdAt: t.now },
  });
  const billing = await consumeIncidentIfRequired(tx, {
    tenantId: t.tenantId, ticketId: ticket.id, queueId: t.queueId, customerUserId: t.customer?.id, moment: 'ON_CREATE', strict: t.strictIncident ?? false, now: t.now,
  });
  await recordHistory(tx, t.tenantId, ticket.id, t.actor, [{ action: 'created', newValue: t.number }, ...billingHistory(billing)]);
  return { ticket, article };
}

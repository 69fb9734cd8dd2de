import { withTenant, type TenantTx } from '@parley/db';
import { generateMessageId } from '../mail/compose-mail.ts';
import { recordOutgoingMail, ticketMailData } from '../mail/outbound/enqueue-outgoing-mail.ts';
import { createRatingLink, type RatingLinkOptions } from '../ratings/rating-links.ts';
import { tenantMailDomain } from '../mail/tenant-mail.ts';
import { z } from 'zod';
import { actorOf } from '../auth/viewer.ts';
import { ForbiddenError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { billingHistory, consumeIncidentIfRequired } from '../billing/consume-incident.ts';
import { recordHistory, type HistoryEntry } from './history.ts';
import { publishTicketEvent } from '../events/publish-ticket-event.ts';
import { loadTicketForUpdate } from './load-ticket.ts';
import { takeLock } from './lock-ticket.ts';
import { requirePermission } from './queue-access.ts';
import { restoreFromArchive } from './restore-archived.ts';
import { clock, type UseCaseContext } from './ticket-context.ts';
import { bindUploads, type BoundAttachment } from '../attachments/bind-uploads.ts';
import type { OutgoingAttachment } from '../mail/compose-mail.ts';

export const addArticleInput = z.object({
  ticketId: z.uuid(),
  /** REPLY: answer to the customer; NOTE: internal note; PHONE: record of a call */
  kind: z.enum(['REPLY', 'NOTE', 'PHONE']).default('REPLY'),
  body: z.string().min(1).max(1_000_000),
  subject: z.string().max(255).optional(),
  timeMinutes: z.number().int().min(0).max(24 * 60).default(0),
  visibleToCustomer: z.boolean().optional(),
  /** Uploads (POST /attachments) of the viewer to attach; each can be used once */
  attachmentIds: z.array(z.uuid()).max(100).optional(),
});
export type AddArticleInput = z.input<typeof addArticleInput>;

const workingStateTypes = new Set(['NEW', 'OPEN']);

/**
 * Adds an article to a ticket. An agent's reply or phone note locks the ticket to them (a
 * ticket locked by someone else gives LOCKED naming the holder), records the first response,
 * and moves a new ticket to open. A customer's reply reopens a pending or closed ticket, unless
 * the queue rejects follow-ups.
 */
export async function addArticle(ctx: UseCaseContext, raw: AddArticleInput) {
  const input = parseInput(addArticleInput, raw);
  const { viewer } = ctx;
  const now = clock(ctx);
  let lockTaken = false;
  const result = await withTenant(ctx.db, viewer.tenantId, async (tx) => {
    let { ticket, access } = await loadTicketForUpdate(tx, viewer, input.ticketId);
    if (ticket.state.type === 'MERGED' || ticket.state.type === 'REMOVED') {
      throw new ValidationError(`This ticket was ${ticket.state.type.toLowerCase()}; write in the ticket it was merged into`, 'ticketId');
    }
    const history: HistoryEntry[] = [];
    let visibleToCustomer = true;
    if (viewer.kind === 'agent') {
      if (input.kind === 'NOTE') {
        requirePermission(access!, ticket.queueId, 'NOTE', 'add notes');
        visibleToCustomer = input.visibleToCustomer ?? false;
      } else {
        requirePermission(access!, ticket.queueId, 'RW', 'answer tickets');
        lockTaken = ticket.lockedById !== viewer.userId;
        ticket = await takeLock(tx, viewer, ticket, now);
        visibleToCustomer = input.visibleToCustomer ?? true;
      }
    } else if (input.kind !== 'REPLY') {
      throw new ForbiddenError('Customers can only reply');
    }

    const article = await tx.article.create({
      data: {
        tenantId: viewer.tenantId, ticketId: ticket.id,
        channel: viewer.kind === 'customer' ? 'PORTAL' : input.kind === 'NOTE' ? 'NOTE' : input.kind === 'PHONE' ? 'PHONE' : 'EMAIL',
        senderType: viewer.kind === 'customer' ? 'CUSTOMER' : 'AGENT',
        visibleToCustomer, subject: input.subject ?? ticket.title, bodyText: input.body,
        authorUserId: viewer.kind === 'agent' ? viewer.userId : null,
        authorCustomerUserId: viewer.kind === 'customer' ? viewer.customerUserId : null,
        timeMinutes: viewer.kind === 'agent' ? input.timeMinutes : 0,
        createdAt: now,
      },
    });
    history.push({ action: 'article_added', field: input.kind.toLowerCase(), newValue: article.id });
    const attached = await bindUploads(tx, viewer, article.id, input.attachmentIds, ctx.attachments?.maxFiles ?? 10);
    if (input.timeMinutes && viewer.kind === 'agent') history.push({ action: 'time_accounted', field: 'timeMinutes', newValue: String(input.timeMinutes) });

    const data: { firstResponseAt?: Date; stateId?: string; closedAt?: null; archived?: boolean } = {};
    // A follow-up brings an archived ticket back into the working set.
    restoreFromArchive(ticket, data, history);
    if (viewer.kind === 'agent' && input.kind === 'REPLY' && visibleToCustomer && !ticket.firstResponseAt) {
      data.firstResponseAt = now;
      history.push(...billingHistory(await consumeIncidentIfRequired(tx, {
        tenantId: viewer.tenantId, ticketId: ticket.id, queueId: ticket.queueId, customerUserId: ticket.customerUserId, moment: 'ON_FIRST_REPLY', strict: false, now,
      })));
    }
    const targetType = viewer.kind === 'agent'
      ? (ticket.state.type === 'NEW' && input.kind !== 'NOTE' ? 'OPEN' : null)
      : (workingStateTypes.has(ticket.state.type) ? null : 'OPEN');
    if (viewer.kind === 'customer' && ticket.state.type === 'CLOSED') {
      const queue = await tx.queue.findUniqueOrThrow({ where: { id: ticket.queueId }, select: { followUpOption: true } });
      if (followUpAction(ticket.state.type, queue) !== 'reopen') throw new ForbiddenError('This ticket is closed; please open a new one');
    }
    if (targetType) {
      const state = await stateOfType(tx, targetType);
      data.stateId = state.id;
      data.closedAt = null;
      history.push({ action: 'state_changed', field: 'state', oldValue: ticket.state.name, newValue: state.name });
    }
    const updated = await tx.ticket.update({ where: { id: ticket.id }, data: { ...data, updatedAt: now } });
    await recordHistory(tx, viewer.tenantId, ticket.id, actorOf(viewer), history);
    // An agent's visible reply goes to the customer by mail: the outbox row is written in this
    // transaction, so the mail exists exactly when the article does (the worker sends it).
    let outgoingMailId: string | null = null;
    if (viewer.kind === 'agent' && input.kind === 'REPLY' && visibleToCustomer && ticket.customerUserId) {
      const attachments = await mailAttachments(ctx, attached);
      const mail = await recordAgentReplyMail(tx, { tenantId: viewer.tenantId, userId: viewer.userId, ticket: updated, article, mailDomain: ctx.mail?.domain ?? 'localhost', ratingLinks: ctx.mail?.ratingLinks, attachments });
      outgoingMailId = mail?.id ?? null;
    }
    return { article, ticket: updated, outgoingMailId };
  }).then(async (result) => {
    if (result.outgoingMailId) await ctx.mail?.outgoingRecorded(viewer.tenantId, [result.outgoingMailId]);
    return result;
  });
  if (lockTaken) await publishTicketEvent(ctx, 'TICKET_LOCKED', result.ticket);
  await publishTicketEvent(ctx, 'ARTICLE_ADDED', result.ticket, { articleId: result.article.id, internal: !result.article.visibleToCustomer });
  return result;
}

/**
 * What a customer's follow-up does to a ticket (portal and mail alike): appended to a working
 * ticket, reopens a pending one; on a closed ticket the queue decides (OTRS follow-up option).
 */
export function followUpAction(stateType: string, queue: { followUpOption: 'POSSIBLE' | 'REJECT' | 'NEW_TICKET' }): 'append' | 'reopen' | 'reject' | 'new-ticket' {
  if (stateType === 'NEW' || stateType === 'OPEN') return 'append';
  if (stateType === 'REMOVED') return 'new-ticket';
  if (stateType !== 'CLOSED') return 'reopen';
  return queue.followUpOption === 'POSSIBLE' ? 'reopen' : queue.followUpOption === 'REJECT' ? 'reject' : 'new-ticket';
}

/** The bytes of a reply's attachments, for its mail (the outbox stores the composed mail). */
async function mailAttachments(ctx: UseCaseContext, attached: BoundAttachment[]): Promise<OutgoingAttachment[]> {
  if (!attached.length) return [];
  const blobs = ctx.attachments?.blobs;
  if (!blobs) throw new Error('attachments need ctx.attachments.blobs to be mailed');
  const out: OutgoingAttachment[] = [];
  for (const a of attached) out.push({ filename: a.filename, contentType: a.contentType, content: await blobs.get(a.storageKey) });
  return out;
}

async function recordAgentReplyMail(tx: TenantTx, p: { tenantId: string; userId: string; ticket: { id: string; number: string; title: string; queueId: string; customerUserId: string | null }; article: { id: string; subject: string | null; bodyText: string }; mailDomain: string; ratingLinks?: RatingLinkOptions; attachments?: OutgoingAttachment[] }) {
  // One connection per transaction: sequential, not Promise.all.
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: p.tenantId }, select: { id: true, slug: true, name: true, mailDomain: true, ticketHook: true, ticketNumberFormat: true } });
  const queue = await tx.queue.findUniqueOrThrow({ where: { id: p.ticket.queueId }, select: { name: true, systemAddress: true, salutation: true, signature: true } });
  const customer = await tx.customerUser.findUnique({ where: { id: p.ticket.customerUserId! }, select: { name: true, email: true } });
  const agent = await tx.user.findUnique({ where: { id: p.userId }, select: { name: true } });
  const parent = await tx.article.findFirst({ where: { ticketId: p.ticket.id, senderType: 'CUSTOMER', messageId: { not: null } }, orderBy: { createdAt: 'desc' }, select: { messageId: true, references: true } });
  if (!customer?.email) return null;
  const messageId = generateMessageId(tenantMailDomain(tenant, p.mailDomain));
  // Every reply mail carries one-click rating links for this reply (single-use, expiring, no login).
  const rating = await createRatingLink(tx, p.article.id, p.ratingLinks);
  const ratingLines = `\n\nHow did we do? Rate this reply with one click:\n${rating.scoreUrls.map((s) => `${s.label}: ${s.url}`).join('\n')}`;
  const mail = await recordOutgoingMail(tx, {
    kind: 'AGENT_REPLY', tenant, queue, ticket: p.ticket, articleId: p.article.id,
    to: [{ name: customer.name, address: customer.email }], subject: p.article.subject ?? p.ticket.title, body: p.article.bodyText + ratingLines,
    data: ticketMailData({ tenant, queue, ticket: p.ticket, customer, agent }),
    inReplyTo: parent?.messageId ?? null, references: parent ? [...parent.references, parent.messageId!] : [],
    messageId, mailDomain: p.mailDomain, attachments: p.attachments,
  });
  await tx.article.update({ where: { id: p.article.id }, data: { messageId: mail.messageId, inReplyTo: parent?.messageId ?? null, toAddresses: [customer.email] } });
  return mail;
}

export async function stateOfType(tx: TenantTx, type: 'OPEN' | 'CLOSED' | 'MERGED' | 'NEW') {
  const state = await tx.ticketState.findFirst({ where: { type, active: true }, orderBy: { name: 'asc' } });
  if (!state) throw new ValidationError(`The tenant has no active state of type ${type.toLowerCase()}`);
  return state;
}

import { tenantScopedDb, withTenant, type TenantTx } from '@parley/db';
import { z } from 'zod';
import type { RequestMeta } from '../auth/login.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { publishTicketEvent } from '../events/publish-ticket-event.ts';
import { generateMessageId } from '../mail/compose-mail.ts';
import { loopCounterKey, normalizeLoopAddress } from '../mail/loop-guard.ts';
import { recordOutgoingMail, ticketMailData, type TicketMailQueue } from '../mail/outbound/enqueue-outgoing-mail.ts';
import { renderTemplate } from '../mail/render-template.ts';
import { tenantMailDomain } from '../mail/tenant-mail.ts';
import type { Services } from '../services.ts';
import { insertTicket } from '../tickets/create-ticket.ts';
import { recordHistory } from '../tickets/history.ts';
import { nextTicketNumber } from '../tickets/ticket-number.ts';
import { lookup, vocabulary } from '../tickets/vocabulary.ts';
import { sendAfterCommit } from './account-mail.ts';
import { mailLocale, type MailLocale } from './account-mail-texts.ts';
import { findOrCreateCustomerByEmail } from './create-customer-user.ts';
import { guestReceiptTemplate } from './guest-receipt-texts.ts';
import { SpamCheckFailedError } from './portal-errors.ts';
import { consumePortalLimit } from './portal-rate-limits.ts';
import { portalTenant, type PortalTenant } from './portal-settings.ts';
import { verifyProof } from './proof-of-work.ts';

export const guestTicketInput = z.object({
  tenantSlug: z.string().trim().toLowerCase().min(1),
  name: z.string().trim().min(1).max(200),
  email: z.email().trim().toLowerCase(),
  queueId: z.uuid(),
  subject: z.string().trim().min(1).max(255),
  message: z.string().trim().min(1).max(50_000),
  sourceUrl: z.string().max(2000).optional(),
  /** The portal page's language (en, de, ru, ro; anything else is ignored): the receipt's language */
  locale: z.string().max(35).optional(),
});

export interface GuestTicketRaw extends z.input<typeof guestTicketInput> {
  /** The honeypot field: people never see it, so any value means a bot filled the form */
  honeypot?: string | null;
  challenge?: string | null;
  solution?: string | null;
}

/**
 * Opens a ticket from the portal's guest form (no sign-in), in a queue open to customers, for
 * the customer behind the address (created on first contact, as mail-in does). Spam checks come
 * first and in this order: rate limit per IP (every attempt counts), the honeypot, the input,
 * the tenant's switch, the rate limit per address, then the proof of work (spent only now, so a
 * typo does not cost the visitor another computation). The customer gets the queue's NEW_TICKET
 * auto-response (or a built-in receipt in the guest's language) through the outbox, within the tenant's per-address
 * daily auto-response limit, as a mail ticket would.
 */
export async function submitGuestTicket(s: Services, raw: GuestTicketRaw, meta: RequestMeta, now = new Date()) {
  await consumePortalLimit(s, 'guestByIp', meta.ip);
  if (raw.honeypot?.trim()) throw new SpamCheckFailedError('HONEYPOT');
  const input = parseInput(guestTicketInput, raw);
  const tenant = await portalTenant(s, input.tenantSlug);
  if (!tenant.allowGuestTickets) throw new ForbiddenError('This help desk does not accept requests without an account');
  await consumePortalLimit(s, 'guestByAddress', `${tenant.slug}:${input.email}`);
  await verifyProof(s, tenant.id, raw.challenge, raw.solution, now.getTime());

  const tenantDb = tenantScopedDb(s.db, tenant.id);
  const vocab = await vocabulary(tenantDb, tenant.id);
  const knownQueue = await lookup(tenantDb, tenant.id, 'queues', input.queueId);
  if (!knownQueue || !knownQueue.openToCustomers || !knownQueue.active) throw new NotFoundError('Queue');
  const state = [...vocab.states.values()].filter((st) => st.type === 'NEW' && st.active).sort((a, b) => a.name.localeCompare(b.name))[0];
  const priority = [...vocab.priorities.values()].find((p) => p.level === 3 && p.active);
  if (!state || !priority) throw new ValidationError('The help desk has no default state or priority');
  const number = await nextTicketNumber(s.db, vocab.tenant, knownQueue, now);

  const { ticket, mailIds } = await withTenant(s.db, tenant.id, async (tx) => {
    const queue = await tx.queue.findFirst({
      where: { id: input.queueId, active: true, openToCustomers: true },
      select: { id: true, name: true, systemAddress: true, salutation: true, signature: true },
    });
    if (!queue) throw new NotFoundError('Queue');
    const customer = await findOrCreateCustomerByEmail(tx, tenant.id, input.email, input.name);
    const { ticket } = await insertTicket(tx, {
      tenantId: tenant.id, number, title: input.subject, queueId: queue.id, stateId: state.id, priorityId: priority.id,
      channel: 'PORTAL', customer: { id: customer.id, companyId: customer.companyId }, now, actor: { customerUserId: customer.id },
      submittedAsGuest: true, submitter: { ip: meta.ip, userAgent: meta.userAgent, sourceUrl: input.sourceUrl },
      article: {
        channel: 'PORTAL', senderType: 'CUSTOMER', visibleToCustomer: true, subject: input.subject, bodyText: input.message,
        authorCustomerUserId: customer.id, fromAddress: input.email,
      },
    });
    const locale = mailLocale(input.locale, customer.locale, tenant.defaultLocale);
    const mail = await confirmGuestTicket(tx, s, tenant, queue, { ...ticket, state: state.name }, { name: customer.name, email: customer.email, locale }, now);
    return { ticket, mailIds: mail ? [mail] : [] };
  });
  await publishTicketEvent({ events: s.events }, 'TICKET_CREATED', ticket);
  await sendAfterCommit(s, tenant.id, mailIds);
  return { number: ticket.number, email: input.email };
}

/** The receipt for a guest ticket: system article + outbox row, or a history note when the per-address limit is reached. */
async function confirmGuestTicket(tx: TenantTx, s: Services, tenant: PortalTenant, queue: TicketMailQueue & { id: string }, ticket: { id: string; number: string; title: string; state: string }, customer: { name: string; email: string; locale: MailLocale }, now: Date): Promise<string | null> {
  const address = normalizeLoopAddress(customer.email);
  const window = loopCounterKey(tenant.id, address, now);
  const [settings, counter, template] = await Promise.all([
    tx.mailSettings.findUnique({ where: { tenantId: tenant.id }, select: { maxAutoResponsesPerDay: true } }),
    tx.autoResponseCounter.findUnique({ where: { tenantId_address_windowStart: { tenantId: tenant.id, address, windowStart: window.windowStart } }, select: { count: true } }),
    tx.autoResponse.findFirst({ where: { queueId: queue.id, kind: 'NEW_TICKET', active: true }, select: { subject: true, body: true } }),
  ]);
  if ((counter?.count ?? 0) >= (settings?.maxAutoResponsesPerDay ?? 10)) {
    await recordHistory(tx, tenant.id, ticket.id, {}, [{ action: 'auto_response_suppressed', field: 'new_ticket', newValue: 'rate-limited' }]);
    return null;
  }
  await tx.$executeRaw`
    INSERT INTO "AutoResponseCounter" ("tenantId", "address", "windowStart", "count") VALUES (${tenant.id}::uuid, ${address}, ${window.windowStart}, 1)
    ON CONFLICT ("tenantId", "address", "windowStart") DO UPDATE SET "count" = "AutoResponseCounter"."count" + 1`;
  const data = ticketMailData({ tenant, queue, ticket, customer });
  const { subject: subjectTemplate, body: bodyTemplate } = template ?? guestReceiptTemplate(customer.locale);
  const subject = renderTemplate(subjectTemplate, data, 'text').output;
  const body = renderTemplate(bodyTemplate, data, 'text').output;
  const mailDomain = s.config.MAIL_DOMAIN;
  const messageId = generateMessageId(tenantMailDomain(tenant, mailDomain));
  const article = await tx.article.create({
    data: {
      tenantId: tenant.id, ticketId: ticket.id, channel: 'EMAIL', senderType: 'SYSTEM', visibleToCustomer: true,
      subject: subject.slice(0, 998), bodyText: body, toAddresses: [address], messageId,
      // a millisecond after the customer's article, so the thread shows the receipt second
      createdAt: new Date(now.getTime() + 1),
    },
  });
  const mail = await recordOutgoingMail(tx, {
    kind: 'AUTO_RESPONSE', tenant, queue, ticket, articleId: article.id, to: [{ name: customer.name, address }], subject, body, data, mailDomain, messageId,
  });
  await recordHistory(tx, tenant.id, ticket.id, {}, [{ action: 'auto_response_sent', field: 'new_ticket', newValue: mail.messageId }]);
  return mail.id;
}

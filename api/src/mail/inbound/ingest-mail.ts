import type { AutoResponseKind, TenantTx } from '@parley/db';
import { withTenant } from '@parley/db';
import { findOrCreateCustomerByEmail } from '../../customers/create-customer-user.ts';
import type { Services } from '../../services.ts';
import { followUpAction, stateOfType } from '../../tickets/add-article.ts';
import { restoreFromArchive } from '../../tickets/restore-archived.ts';
import { publishTicketEvent } from '../../events/publish-ticket-event.ts';
import type { TicketEventKind } from '../../events/ticket-event.ts';
import { insertTicket } from '../../tickets/create-ticket.ts';
import { recordHistory, type HistoryEntry } from '../../tickets/history.ts';
import { nextTicketNumber } from '../../tickets/ticket-number.ts';
import { classifyMail, type MailClassification } from '../classify-mail.ts';
import { generateMessageId } from '../compose-mail.ts';
import { mailTenantContext } from './mail-tenant-context.ts';
import { decideAutoResponse, isOwnOutgoingMail, loopCounterKey, normalizeLoopAddress } from '../loop-guard.ts';
import { MailParseError, parseMail, type ParsedMail } from '../parse-mail.ts';
import { renderTemplate } from '../render-template.ts';
import { defaultSystemAddress, tenantMailDomain } from '../tenant-mail.ts';
import { enqueueOutgoingMails } from '../outbound/mail-context.ts';
import { recordOutgoingMail, ticketHookOf, ticketMailData, type TicketMailQueue, type TicketMailTenant } from '../outbound/enqueue-outgoing-mail.ts';
import { applyPostmasterFilters, queueByRecipient, type FilterOutcome } from './route-mail.ts';
import { findThread, type ThreadMatch } from './thread-mail.ts';

export type IngestStatus = 'PROCESSED' | 'DUPLICATE' | 'IGNORED' | 'FAILED' | 'STALE';

export interface IngestResult {
  status: IngestStatus;
  /** e.g. 'new-ticket', 'follow-up:message-id', 'reopened:ticket-number', 'rejected', 'bounce', 'ignored:own-mail' */
  outcome: string;
  ticketId?: string | null;
  articleId?: string | null;
  outgoingMailIds: string[];
}

/** A ticket event to publish once the filing transaction has committed (api/src/events/README.md). */
interface PendingEvent {
  kind: TicketEventKind;
  ticket: Parameters<typeof publishTicketEvent>[2];
  extra?: Parameters<typeof publishTicketEvent>[3];
}

export const attachmentKey = (tenantId: string, sha256: string) => `att/${tenantId}/${sha256}`;

/**
 * The mail pipeline for one stored inbound mail (api/src/mail/README.md has the order): parse,
 * classify, route (system address, account, filters), thread, then in ONE transaction: the
 * article (new ticket, follow-up, reopen, reject, or bounce note), its attachments' rows, the
 * auto-response and agent notifications in the outbox, and the inbound row's final status.
 *
 * Idempotent: only a RECEIVED row is processed, its row is locked for the transaction, and mails
 * with the same Message-ID serialise on an advisory lock, so a retry, a duplicate job or the same
 * mail fetched twice gives one article. A mail that cannot be parsed is marked FAILED with the
 * reason (the admin can retry it) and never throws, so it never blocks the queue behind it.
 *
 * After commit it publishes the same ticket events as the API's use cases (TICKET_CREATED for a
 * new ticket, ARTICLE_ADDED for a follow-up or bounce note, TICKET_UPDATED for a reopen or a
 * restore from the archive, TICKET_LOCKED for a follow-up lock), so the worker's ticket-event
 * job gives mail tickets their SLA deadlines, auto-assignment and webhooks, and live views update.
 */
export async function ingestMail(services: Services, tenantId: string, inboundMailId: string, opts: { now?: Date } = {}): Promise<IngestResult> {
  const now = opts.now ?? new Date();
  const row = await withTenant(services.db, tenantId, (tx) => tx.inboundMail.findUnique({ where: { id: inboundMailId } }));
  if (!row || row.status !== 'RECEIVED') return { status: 'STALE', outcome: `status ${row?.status ?? 'missing'}`, outgoingMailIds: [] };

  const raw = await services.blobs.get(row.storageKey);
  let parsed: ParsedMail;
  try {
    parsed = await parseMail(raw, { maxBytes: services.config.MAIL_MAX_BYTES });
  } catch (e) {
    const code = e instanceof MailParseError ? e.code : 'PARSE_ERROR';
    await markInboundFailed(services, tenantId, inboundMailId, code, (e as Error).message);
    return { status: 'FAILED', outcome: `unparseable:${code}`, outgoingMailIds: [] };
  }
  const classification = classifyMail(parsed);
  for (const a of parsed.attachments) {
    const key = attachmentKey(tenantId, a.checksum);
    if (!(await services.blobs.exists(key))) await services.blobs.put(key, a.content);
  }

  const { events, ...result } = await withTenant(services.db, tenantId, (tx) => fileMail(services, tx, { tenantId, row, parsed, classification, now }), { timeout: 60_000 });
  if (result.outgoingMailIds.length) await enqueueOutgoingMails(services, tenantId, result.outgoingMailIds);
  for (const e of events) await publishTicketEvent({ events: services.events }, e.kind, e.ticket, e.extra);
  return result;
}

/** Records why a mail could not be processed; it stays stored and the admin can retry it. */
export async function markInboundFailed(services: Services, tenantId: string, inboundMailId: string, code: string, reason: string) {
  await withTenant(services.db, tenantId, (tx) => tx.inboundMail.updateMany({
    where: { id: inboundMailId, status: 'RECEIVED' },
    data: { status: 'FAILED', failureCode: code.slice(0, 50), failureReason: reason.slice(0, 2000), attempts: { increment: 1 }, processedAt: new Date() },
  }));
}

interface FileMailInput {
  tenantId: string;
  row: { id: string; recipients: string[]; mailAccountId: string | null };
  parsed: ParsedMail;
  classification: MailClassification;
  now: Date;
}

async function fileMail(services: Services, tx: TenantTx, p: FileMailInput): Promise<IngestResult & { events: PendingEvent[] }> {
  const { tenantId, parsed, classification, now } = p;
  const events: PendingEvent[] = [];
  const mailDomain = services.config.MAIL_DOMAIN;
  const locked = await tx.$queryRaw<{ status: string }[]>`SELECT "status"::text AS status FROM "InboundMail" WHERE "id" = ${p.row.id}::uuid FOR UPDATE`;
  if (locked[0]?.status !== 'RECEIVED') return { status: 'STALE', outcome: `status ${locked[0]?.status ?? 'missing'}`, outgoingMailIds: [], events };
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${tenantId}|${parsed.messageId}`}, 0))`;

  const finish = async (status: Exclude<IngestStatus, 'STALE' | 'FAILED'>, outcome: string, ticketId: string | null = null, articleId: string | null = null, outgoingMailIds: string[] = []) => {
    await tx.inboundMail.update({
      where: { id: p.row.id },
      data: { status, outcome, ticketId, articleId, messageId: parsed.messageId.slice(0, 998), processedAt: new Date(), attempts: { increment: 1 }, failureCode: null, failureReason: null },
    });
    return { status, outcome, ticketId, articleId, outgoingMailIds, events };
  };

  const dup = await tx.inboundMail.findFirst({
    where: { tenantId, messageId: parsed.messageId, status: { in: ['PROCESSED', 'IGNORED'] }, id: { not: p.row.id } },
    select: { id: true, ticketId: true },
  });
  if (dup) return finish('DUPLICATE', `duplicate of ${dup.id}`, dup.ticketId);

  const { tenant, settings, systemAddresses, filters, queues, autoResponses } = await mailTenantContext(services, tenantId);
  const account = p.row.mailAccountId ? await tx.mailAccount.findUnique({ where: { id: p.row.mailAccountId }, select: { queueId: true } }) : null;
  const ownDomain = tenantMailDomain(tenant, mailDomain);
  const ownAddresses = [defaultSystemAddress(tenant, mailDomain), ...systemAddresses.map((a) => a.address), ...queues.flatMap((q) => (q.systemAddress ? [q.systemAddress] : []))];
  const ownDomains = new Set([ownDomain, ...ownAddresses.map((a) => a.split('@')[1])]);
  if (isOwnOutgoingMail(parsed, ownDomains)) return finish('IGNORED', 'ignored:own-mail');

  const filter = applyPostmasterFilters(parsed.headers, filters);
  if (filter.ignore) return finish('IGNORED', `ignored:filter:${filter.matched.join(',')}`);

  const ctx: MailCtx = { services, tx, tenantId, tenant, settings, queues, autoResponses, ownAddresses, parsed, classification, now, mailDomain, events };

  if (classification.kind === 'bounce') {
    const bounced = await fileBounce(ctx);
    if (bounced) return finish('PROCESSED', 'bounce', bounced.ticketId, bounced.articleId);
  }

  const thread = await findThread(tx, { tenantId, parsed, hook: ticketHookOf(tenant), bySenderOpenTicket: settings?.threadBySenderOpenTicket ?? false });
  if (classification.kind === 'bounce') {
    if (!thread) return finish('IGNORED', 'ignored:bounce-unmatched');
    const article = await insertMailArticle(ctx, thread.ticketId, null, { system: true });
    await articleAddedEvent(ctx, thread.ticketId, article);
    return finish('PROCESSED', 'bounce', thread.ticketId, article.id);
  }
  if (thread) {
    const followUp = await fileFollowUp(ctx, thread);
    if (followUp) return finish('PROCESSED', followUp.outcome, followUp.ticketId, followUp.articleId, followUp.outgoingMailIds);
  }

  const recipientQueues = new Map(systemAddresses.map((a) => [a.address.toLowerCase(), a.queueId]));
  for (const q of queues) if (q.systemAddress && !recipientQueues.has(q.systemAddress.toLowerCase())) recipientQueues.set(q.systemAddress.toLowerCase(), q.id);
  const byRecipient = queueByRecipient([...p.row.recipients, ...parsed.to.map((a) => a.address), ...parsed.cc.map((a) => a.address)], recipientQueues);
  const junk = classification.kind === 'spam-flagged' ? queues.find((q) => q.name === 'Junk')?.id : undefined;
  const queueId = validQueue(queues, filter.queueId) ?? validQueue(queues, account?.queueId) ?? junk ?? byRecipient
    ?? validQueue(queues, settings?.defaultQueueId) ?? queues.find((q) => q.name === 'Raw')?.id ?? queues[0]?.id;
  if (!queueId) throw new Error('the tenant has no active queue');
  const created = await fileNewTicket(ctx, queueId, filter, thread ? 'new-ticket:after-closed' : 'new-ticket');
  return finish('PROCESSED', created.outcome, created.ticketId, created.articleId, created.outgoingMailIds);
}

const validQueue = (queues: { id: string }[], id: string | null | undefined) => (id && queues.some((q) => q.id === id) ? id : null);

interface MailCtx {
  services: Services;
  tx: TenantTx;
  tenantId: string;
  tenant: TicketMailTenant & { systemId: number };
  settings: { maxAutoResponsesPerDay: number; notifyAgents: boolean } | null;
  queues: Array<TicketMailQueue & { id: string; followUpOption: 'POSSIBLE' | 'REJECT' | 'NEW_TICKET'; followUpLock: boolean; ticketPrefix: string | null }>;
  autoResponses: Array<{ queueId: string; kind: AutoResponseKind; subject: string; body: string }>;
  ownAddresses: string[];
  parsed: ParsedMail;
  classification: MailClassification;
  now: Date;
  mailDomain: string;
  /** Published by ingestMail after commit */
  events: PendingEvent[];
}

const ticketFacts = { id: true, tenantId: true, queueId: true, customerUserId: true, customerCompanyId: true } as const;

/** ARTICLE_ADDED for an article filed on an existing ticket (a bounce note is internal). */
async function articleAddedEvent(c: MailCtx, ticketId: string, article: { id: string; visibleToCustomer: boolean }) {
  const ticket = await c.tx.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: ticketFacts });
  c.events.push({ kind: 'ARTICLE_ADDED', ticket, extra: { articleId: article.id, internal: !article.visibleToCustomer } });
}

/** The customer behind the From address (created on first contact), unless it is our own address. */
async function customerOf(c: MailCtx) {
  const from = c.parsed.from;
  if (!from?.address || c.ownAddresses.some((a) => normalizeLoopAddress(a) === normalizeLoopAddress(from.address))) return null;
  return findOrCreateCustomerByEmail(c.tx, c.tenantId, from.address.slice(0, 320), from.name?.slice(0, 200));
}

async function insertMailArticle(c: MailCtx, ticketId: string, customer: { id: string } | null, opts: { system?: boolean } = {}) {
  const p = c.parsed;
  const article = await c.tx.article.create({
    data: {
      tenantId: c.tenantId, ticketId, channel: 'EMAIL', senderType: opts.system ? 'SYSTEM' : 'CUSTOMER', visibleToCustomer: !opts.system,
      ...mailArticleFields(p), authorCustomerUserId: opts.system ? null : customer?.id ?? null, createdAt: c.now,
    },
  });
  await insertAttachments(c, article.id);
  return article;
}

function mailArticleFields(p: ParsedMail) {
  return {
    subject: p.subject.slice(0, 998), bodyText: p.text ?? '', bodyHtml: p.sanitizedHtml,
    fromAddress: p.from ? (p.from.name ? `${p.from.name} <${p.from.address}>` : p.from.address) : null,
    toAddresses: p.to.map((a) => a.address), ccAddresses: p.cc.map((a) => a.address),
    messageId: p.messageId.slice(0, 998), inReplyTo: p.inReplyTo, references: p.references.slice(-50),
  };
}

async function insertAttachments(c: MailCtx, articleId: string) {
  if (!c.parsed.attachments.length) return;
  await c.tx.attachment.createMany({
    data: c.parsed.attachments.map((a) => ({
      tenantId: c.tenantId, articleId, filename: a.filename.slice(0, 255), contentType: a.contentType.slice(0, 255), size: a.size,
      contentId: a.contentId?.slice(0, 255) ?? null, inline: a.inline, storageKey: attachmentKey(c.tenantId, a.checksum), sha256: a.checksum,
    })),
  });
}

/** A bounce: attached to the ticket whose mail bounced; a permanent failure is recorded on the outbox row. */
async function fileBounce(c: MailCtx): Promise<{ ticketId: string; articleId: string } | null> {
  const id = c.classification.bouncedMessageId;
  if (!id) return null;
  const out = await c.tx.outgoingMail.findFirst({ where: { tenantId: c.tenantId, messageId: id }, select: { id: true, ticketId: true } });
  const ticketId = out?.ticketId ?? (await c.tx.article.findFirst({ where: { tenantId: c.tenantId, messageId: id }, select: { ticketId: true } }))?.ticketId;
  if (!ticketId) return null;
  if (out && c.classification.bounceStatus === 'failed') {
    await c.tx.outgoingMail.update({ where: { id: out.id }, data: { bouncedAt: c.now, bounceReason: `bounced: ${(c.classification.bouncedRecipients ?? []).join(', ')}`.slice(0, 1000) } });
  }
  const article = await insertMailArticle(c, ticketId, null, { system: true });
  await recordHistory(c.tx, c.tenantId, ticketId, {}, [{ action: 'mail_bounced', field: c.classification.bounceStatus ?? 'failed', newValue: id }]);
  await articleAddedEvent(c, ticketId, article);
  return { ticketId, articleId: article.id };
}

/** A follow-up: appended, reopens (locking to the previous owner where the queue says so), or is rejected. Null: the queue wants a new ticket. */
async function fileFollowUp(c: MailCtx, thread: ThreadMatch) {
  const ticket = await c.tx.ticket.findUniqueOrThrow({ where: { id: thread.ticketId }, include: { state: true } });
  await c.tx.$queryRaw`SELECT "id" FROM "Ticket" WHERE "id" = ${ticket.id}::uuid FOR UPDATE`;
  const queue = c.queues.find((q) => q.id === ticket.queueId)
    ?? await c.tx.queue.findUniqueOrThrow({ where: { id: ticket.queueId }, select: { id: true, name: true, systemAddress: true, salutation: true, signature: true, followUpOption: true, followUpLock: true, ticketPrefix: true } });
  const action = followUpAction(ticket.state.type, queue);
  if (action === 'new-ticket') return null;
  const customer = await customerOf(c);
  const article = await insertMailArticle(c, ticket.id, customer);
  const history: HistoryEntry[] = [{ action: 'article_added', field: 'email', newValue: article.id }];
  const data: { stateId?: string; closedAt?: null; lockedById?: string; lockedAt?: Date; archived?: boolean } = {};
  // The follow-up is taken (appended or reopening): it restores an archived ticket, as in addArticle.
  if (action !== 'reject') restoreFromArchive(ticket, data, history);
  if (action === 'reopen') {
    const open = await stateOfType(c.tx, 'OPEN');
    data.stateId = open.id;
    data.closedAt = null;
    history.push({ action: 'state_changed', field: 'state', oldValue: ticket.state.name, newValue: open.name });
    if (ticket.state.type === 'CLOSED' && queue.followUpLock && ticket.ownerId) {
      data.lockedById = ticket.ownerId;
      data.lockedAt = c.now;
      history.push({ action: 'locked', field: 'lockedBy', newValue: ticket.ownerId });
    }
  }
  if (action === 'reject') history.push({ action: 'follow_up_rejected', newValue: article.id });
  const updated = await c.tx.ticket.update({ where: { id: ticket.id }, data: { ...data, updatedAt: c.now }, select: ticketFacts });
  await recordHistory(c.tx, c.tenantId, ticket.id, customer ? { customerUserId: customer.id } : {}, history);
  if (data.lockedById && data.lockedById !== ticket.lockedById) c.events.push({ kind: 'TICKET_LOCKED', ticket: updated });
  c.events.push({ kind: 'ARTICLE_ADDED', ticket: updated, extra: { articleId: article.id, internal: false } });
  const changes = history.filter((h) => h.action === 'state_changed' || h.action === 'unarchived').map((h) => h.field ?? h.action);
  if (changes.length) c.events.push({ kind: 'TICKET_UPDATED', ticket: updated, extra: { changes } });

  const outgoing: string[] = [];
  const stateName = data.stateId ? 'open' : ticket.state.name;
  const auto = await autoRespond(c, action === 'reject' ? 'REJECT' : 'FOLLOW_UP', queue, { ...ticket, state: stateName }, customer);
  if (auto) outgoing.push(auto);
  if (ticket.ownerId && (c.settings?.notifyAgents ?? true)) {
    outgoing.push(...await notifyAgents(c, [ticket.ownerId], queue, ticket, `Follow-up: ${ticket.title}`, customer));
  }
  const outcome = action === 'reject' ? `rejected:${thread.method}` : action === 'reopen' ? `reopened:${thread.method}` : `follow-up:${thread.method}`;
  return { outcome, ticketId: ticket.id, articleId: article.id, outgoingMailIds: outgoing };
}

async function fileNewTicket(c: MailCtx, queueId: string, filter: FilterOutcome, outcome: string) {
  const queue = c.queues.find((q) => q.id === queueId)!;
  // The number comes from its own one-round-trip transaction (the counter row is hot); a rollback leaves a gap.
  const number = await nextTicketNumber(c.services.db, c.tenant, queue, c.now);
  const state = filter.stateId ? await c.tx.ticketState.findFirst({ where: { id: filter.stateId, active: true, type: { notIn: ['MERGED', 'REMOVED'] } } }) : null;
  const priority = filter.priorityId ? await c.tx.priority.findFirst({ where: { id: filter.priorityId, active: true } }) : await c.tx.priority.findFirst({ where: { level: 3, active: true } });
  const stateRow = state ?? await stateOfType(c.tx, 'NEW');
  const priorityRow = priority ?? await c.tx.priority.findFirst({ where: { level: 3, active: true } }) ?? await c.tx.priority.findFirstOrThrow({ where: { active: true } });
  const customer = await customerOf(c);
  const title = (c.parsed.subject.trim() || '(no subject)').slice(0, 255);
  const { ticket, article } = await insertTicket(c.tx, {
    tenantId: c.tenantId, number, title, queueId, stateId: stateRow.id, priorityId: priorityRow.id, channel: 'EMAIL',
    customer: customer ? { id: customer.id, companyId: customer.companyId } : null, now: c.now,
    actor: customer ? { customerUserId: customer.id } : {},
    article: { channel: 'EMAIL', senderType: 'CUSTOMER', visibleToCustomer: true, ...mailArticleFields(c.parsed), authorCustomerUserId: customer?.id ?? null },
  });
  await insertAttachments(c, article.id);
  c.events.push({ kind: 'TICKET_CREATED', ticket });
  const outgoing: string[] = [];
  const auto = await autoRespond(c, 'NEW_TICKET', queue, { ...ticket, state: stateRow.name }, customer);
  if (auto) outgoing.push(auto);
  if (c.settings?.notifyAgents ?? true) {
    const agents = await c.tx.$queryRaw<{ id: string }[]>`
      SELECT DISTINCT u."id" FROM "User" u
      JOIN "UserRole" ur ON ur."tenantId" = u."tenantId" AND ur."userId" = u."id"
      JOIN "QueuePermission" qp ON qp."tenantId" = ur."tenantId" AND qp."roleId" = ur."roleId"
      WHERE u."tenantId" = ${c.tenantId}::uuid AND u."active" AND qp."queueId" = ${queueId}::uuid AND 'RW' = ANY(qp."permissions")`;
    outgoing.push(...await notifyAgents(c, agents.map((a) => a.id), queue, ticket, `New ticket in ${queue.name}: ${ticket.title}`, customer));
  }
  return { outcome, ticketId: ticket.id, articleId: article.id, outgoingMailIds: outgoing };
}

/**
 * The queue's auto-response of this kind, if it has one and the loop guard allows it: never to
 * automatic mail, never to our own addresses, at most N per recipient per day. Recorded as a
 * system article and an outbox row in the same transaction.
 */
async function autoRespond(c: MailCtx, kind: AutoResponseKind, queue: MailCtx['queues'][number], ticket: { id: string; number: string; title: string; state: string }, customer: { name: string; email: string } | null): Promise<string | null> {
  const template = c.autoResponses.find((r) => r.queueId === queue.id && r.kind === kind);
  if (!template) return null;
  const recipient = c.parsed.replyTo[0]?.address ?? c.parsed.from?.address ?? null;
  if (!recipient) return null;
  const window = loopCounterKey(c.tenantId, recipient, c.now);
  const address = normalizeLoopAddress(recipient);
  const counter = await c.tx.autoResponseCounter.findUnique({ where: { tenantId_address_windowStart: { tenantId: c.tenantId, address, windowStart: window.windowStart } }, select: { count: true } });
  const decision = decideAutoResponse({
    classification: c.classification, recipient, sentInWindow: counter?.count ?? 0,
    maxPerWindow: c.settings?.maxAutoResponsesPerDay ?? 10, ownAddresses: c.ownAddresses,
  });
  if (!decision.send) {
    await recordHistory(c.tx, c.tenantId, ticket.id, {}, [{ action: 'auto_response_suppressed', field: kind.toLowerCase(), newValue: decision.reason }]);
    return null;
  }
  await c.tx.$executeRaw`
    INSERT INTO "AutoResponseCounter" ("tenantId", "address", "windowStart", "count") VALUES (${c.tenantId}::uuid, ${address}, ${window.windowStart}, 1)
    ON CONFLICT ("tenantId", "address", "windowStart") DO UPDATE SET "count" = "AutoResponseCounter"."count" + 1`;
  const data = ticketMailData({ tenant: c.tenant, queue, ticket, customer: customer ?? { email: recipient } });
  const subject = renderTemplate(template.subject, data, 'text').output;
  const body = renderTemplate(template.body, data, 'text').output;
  const messageId = generateMessageId(tenantMailDomain(c.tenant, c.mailDomain));
  const article = await c.tx.article.create({
    data: {
      tenantId: c.tenantId, ticketId: ticket.id, channel: 'EMAIL', senderType: 'SYSTEM', visibleToCustomer: true, subject: subject.slice(0, 998), bodyText: body,
      toAddresses: [address], messageId, inReplyTo: c.parsed.messageId, createdAt: c.now,
    },
  });
  const mail = await recordOutgoingMail(c.tx, {
    kind: 'AUTO_RESPONSE', tenant: c.tenant, queue, ticket, articleId: article.id, to: [recipient], subject, body, data,
    inReplyTo: c.parsed.messageId, references: [...c.parsed.references, c.parsed.messageId], mailDomain: c.mailDomain, messageId,
  });
  await recordHistory(c.tx, c.tenantId, ticket.id, {}, [{ action: 'auto_response_sent', field: kind.toLowerCase(), newValue: mail.messageId }]);
  return mail.id;
}

/** Agent notifications (new ticket in their queues, follow-up on their ticket), one outbox row each. */
async function notifyAgents(c: MailCtx, userIds: string[], queue: MailCtx['queues'][number], ticket: { id: string; number: string; title: string }, subject: string, customer: { name: string; email: string } | null): Promise<string[]> {
  if (!userIds.length) return [];
  const users = await c.tx.user.findMany({ where: { id: { in: userIds }, active: true }, select: { email: true, name: true } });
  const ids: string[] = [];
  const from = customer ? `${customer.name} <${customer.email}>` : c.parsed.from?.address ?? 'unknown sender';
  for (const u of users) {
    const mail = await recordOutgoingMail(c.tx, {
      kind: 'NOTIFICATION', tenant: c.tenant, queue, ticket, to: [{ name: u.name, address: u.email }], subject,
      body: `${subject}\nFrom: ${from}\nSubject: ${c.parsed.subject}\n\n${(c.parsed.text ?? '').slice(0, 2000)}`,
      data: {}, plain: true, mailDomain: c.mailDomain,
    });
    ids.push(mail.id);
  }
  return ids;
}

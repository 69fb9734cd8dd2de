import { withTenant, type TenantTx } from '@parley/db';
import { z } from 'zod';
import { sha256 } from '../auth/secrets.ts';
import type { CustomerViewer } from '../auth/viewer.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import type { Services } from '../services.ts';
import { stateOfType } from '../tickets/add-article.ts';
import { recordHistory, type HistoryEntry } from '../tickets/history.ts';
import { loadTicketForUpdate } from '../tickets/load-ticket.ts';
import { clock, type UseCaseContext } from '../tickets/ticket-context.ts';

const ratingInput = z.object({
  score: z.number().int().min(1).max(5),
  comment: z.string().trim().max(2000).nullable().optional(),
});

/** A rating of 1 or 2 (or "bad" on a good/bad scale) is bad. */
export const isBad = (score: number) => score <= 2;

interface RatingWrite {
  tenantId: string;
  ticketId: string;
  articleId: string | null;
  agentUserId: string | null;
  customerUserId: string | null;
  score: number;
  comment: string | null;
  via: 'MAIL_LINK' | 'PORTAL';
  now: Date;
}

/**
 * Writes (or changes) a rating in the caller's transaction, the ticket row being locked. A bad
 * rating notifies the ticket's owner (or else the rated reply's author): an AgentNotification
 * `bad_rating` and a history entry `bad_rating` naming them; and, when the
 * tenant chose so, reopens a closed ticket.
 */
async function saveRating(tx: TenantTx, r: RatingWrite) {
  const settings = await tx.billingSettings.findFirst({ select: { ratingScale: true, badRatingReopens: true } });
  if (settings?.ratingScale === 'GOOD_BAD' && r.score !== 1 && r.score !== 5) {
    throw new ValidationError('This help desk rates good (5) or bad (1)', 'score');
  }
  const existing = r.articleId
    ? await tx.rating.findFirst({ where: { articleId: r.articleId } })
    : await tx.rating.findFirst({ where: { ticketId: r.ticketId, target: 'TICKET' } });
  const data = { score: r.score, comment: r.comment, via: r.via, customerUserId: r.customerUserId, updatedAt: r.now };
  const rating = existing
    ? await tx.rating.update({ where: { id: existing.id }, data })
    : await tx.rating.create({
      data: { ...data, tenantId: r.tenantId, ticketId: r.ticketId, articleId: r.articleId, target: r.articleId ? 'REPLY' : 'TICKET', agentUserId: r.agentUserId, createdAt: r.now },
    });
  const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: r.ticketId }, include: { state: true } });
  const history: HistoryEntry[] = [{ action: 'rated', field: r.articleId ? 'reply' : 'ticket', newValue: String(r.score) }];
  let reopened = false;
  if (isBad(r.score) && !(existing && isBad(existing.score))) {
    const notify = ticket.ownerId ?? r.agentUserId ?? null;
    history.push({ action: 'bad_rating', field: 'owner', newValue: notify });
    if (notify) {
      await tx.agentNotification.create({ data: {
        tenantId: r.tenantId, userId: notify, ticketId: ticket.id, kind: 'bad_rating',
        message: `Bad rating (${r.score}/5) of ${r.articleId ? 'a reply on ticket' : 'ticket'} ${ticket.number} "${ticket.title}"`,
      } });
    }
    if (settings?.badRatingReopens && ticket.state.type === 'CLOSED') {
      const open = await stateOfType(tx, 'OPEN');
      await tx.ticket.update({ where: { id: ticket.id }, data: { stateId: open.id, closedAt: null, updatedAt: r.now } });
      history.push({ action: 'state_changed', field: 'state', oldValue: ticket.state.name, newValue: open.name });
      reopened = true;
    }
  }
  await recordHistory(tx, r.tenantId, ticket.id, { customerUserId: r.customerUserId ?? undefined }, history);
  return { rating, reopened };
}

async function ratableReply(tx: TenantTx, articleId: string, ticketId?: string) {
  const article = await tx.article.findFirst({
    where: { id: articleId, ...(ticketId ? { ticketId } : {}), deletedAt: null },
    select: { id: true, ticketId: true, senderType: true, visibleToCustomer: true, authorUserId: true },
  });
  if (!article || !article.visibleToCustomer) throw new NotFoundError('Article');
  if (article.senderType !== 'AGENT') throw new ValidationError('Only agent replies can be rated', 'articleId');
  return article;
}

/** The customer rates one agent reply from the portal (again: the rating changes). */
export async function rateReply(ctx: UseCaseContext, articleId: string, raw: z.input<typeof ratingInput>) {
  const input = parseInput(ratingInput, raw);
  const viewer = customerOf(ctx);
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const article = await tx.article.findFirst({ where: { id: articleId }, select: { ticketId: true } });
    if (!article) throw new NotFoundError('Article');
    await loadTicketForUpdate(tx, viewer, article.ticketId); // visibility: their own (or company) ticket
    const reply = await ratableReply(tx, articleId);
    return saveRating(tx, {
      tenantId: viewer.tenantId, ticketId: reply.ticketId, articleId: reply.id, agentUserId: reply.authorUserId,
      customerUserId: viewer.customerUserId, score: input.score, comment: input.comment ?? null, via: 'PORTAL', now: clock(ctx),
    });
  });
}

/** The customer rates the whole ticket once it is solved (closed), as Zendesk's CSAT does. */
export async function rateTicket(ctx: UseCaseContext, ticketId: string, raw: z.input<typeof ratingInput>) {
  const input = parseInput(ratingInput, raw);
  const viewer = customerOf(ctx);
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const { ticket } = await loadTicketForUpdate(tx, viewer, ticketId);
    if (ticket.state.type !== 'CLOSED') throw new ValidationError('A ticket can be rated once it is solved', 'ticketId');
    return saveRating(tx, {
      tenantId: viewer.tenantId, ticketId, articleId: null, agentUserId: ticket.ownerId,
      customerUserId: viewer.customerUserId, score: input.score, comment: input.comment ?? null, via: 'PORTAL', now: clock(ctx),
    });
  });
}

/**
 * The public, login-free rating of a reply through the link in its mail. The token is spent
 * atomically (a second use, even concurrent, is a CONFLICT); an expired one is a VALIDATION error.
 */
export async function rateByToken(services: Services, token: string, raw: z.input<typeof ratingInput>, now = new Date()) {
  const input = parseInput(ratingInput, raw);
  const found = token.startsWith('rt_') && token.length < 200
    ? await services.systemDb.ratingToken.findUnique({ where: { tokenHash: sha256(token) } })
    : null;
  if (!found) throw new NotFoundError('Rating link', 'This rating link is not valid');
  if (found.expiresAt <= now) throw new ValidationError('This rating link has expired; you can still rate the reply in the portal', 'token');
  return withTenant(services.db, found.tenantId, async (tx) => {
    const spent = await tx.ratingToken.updateMany({ where: { id: found.id, usedAt: null }, data: { usedAt: now } });
    if (spent.count === 0) throw new ConflictError('This rating link was used already');
    const reply = await ratableReply(tx, found.articleId);
    await tx.$queryRaw`SELECT "id" FROM "Ticket" WHERE "id" = ${reply.ticketId}::uuid FOR UPDATE`;
    const ticket = await tx.ticket.findUniqueOrThrow({ where: { id: reply.ticketId }, select: { customerUserId: true } });
    return saveRating(tx, {
      tenantId: found.tenantId, ticketId: reply.ticketId, articleId: reply.id, agentUserId: reply.authorUserId,
      customerUserId: ticket.customerUserId, score: input.score, comment: input.comment ?? null, via: 'MAIL_LINK', now,
    });
  });
}

function customerOf(ctx: UseCaseContext): CustomerViewer {
  if (ctx.viewer.kind !== 'customer') throw new ForbiddenError('Only customers rate replies');
  return ctx.viewer;
}

/**
 * What the public rating page needs before the customer confirms: whether the link still works
 * (without spending it: mail scanners pre-fetch links) and the tenant's scale. Reveals nothing
 * else about the reply or the ticket.
 */
export async function ratingLinkStatus(services: Services, token: string, now = new Date()) {
  const found = token.startsWith('rt_') && token.length < 200
    ? await services.systemDb.ratingToken.findUnique({ where: { tokenHash: sha256(token) } })
    : null;
  if (!found) return { status: 'INVALID' as const, scale: null };
  const scale = await withTenant(services.db, found.tenantId, async (tx) =>
    (await tx.billingSettings.findFirst({ select: { ratingScale: true } }))?.ratingScale ?? 'FIVE_STARS');
  const status = found.usedAt ? 'USED' as const : found.expiresAt <= now ? 'EXPIRED' as const : 'VALID' as const;
  return { status, scale };
}

/** The tenant's rating scale (1..5 or good/bad), for the portal's rating controls. */
export async function ratingScaleOf(db: Services['db'], tenantId: string) {
  return withTenant(db, tenantId, async (tx) =>
    (await tx.billingSettings.findFirst({ select: { ratingScale: true } }))?.ratingScale ?? 'FIVE_STARS');
}

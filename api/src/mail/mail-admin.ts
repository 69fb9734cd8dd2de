import { Prisma, withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import type { Services } from '../services.ts';
import { enqueue } from '../jobs/job-queue.ts';
import { mailInProcess } from './mail-jobs.ts';
import { filterActions, filterCondition } from './inbound/route-mail.ts';
import { tenantMailDomain } from './tenant-mail.ts';
import { SECRET_COLUMNS, type SecretBox } from '../secrets/secret-box.ts';

// Use cases behind the admin's mail settings (mail-admin.graphql.ts). Callers check that the
// viewer is the tenant's admin; everything runs under the tenant's row-level security.

export const systemAddressInput = z.object({
  address: z.email().trim().toLowerCase(),
  displayName: z.string().trim().max(200).optional(),
  queueId: z.uuid(),
});

/**
 * Adds an address the tenant receives and sends mail at. Addresses under the tenant's own mail
 * domain are verified at once; others stay unverified (not accepted by the SMTP receiver) until
 * verified — the verification flow (mail a code to the address) is not built yet.
 */
export async function createSystemAddress(db: Db, tenantId: string, raw: z.input<typeof systemAddressInput>, mailDomain: string) {
  const input = parseInput(systemAddressInput, raw);
  try {
    return await withTenant(db, tenantId, async (tx) => {
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { slug: true, mailDomain: true } });
      if (!(await tx.queue.findFirst({ where: { id: input.queueId }, select: { id: true } }))) throw new NotFoundError('Queue');
      const own = input.address.endsWith(`@${tenantMailDomain(tenant, mailDomain)}`);
      return tx.systemAddress.create({ data: { tenantId, address: input.address, displayName: input.displayName, queueId: input.queueId, verifiedAt: own ? new Date() : null } });
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError('This address is already in use');
    throw e;
  }
}

export const autoResponseInput = z.object({
  queueId: z.uuid(),
  kind: z.enum(['NEW_TICKET', 'FOLLOW_UP', 'REJECT']),
  subject: z.string().trim().min(1).max(255),
  body: z.string().min(1).max(20_000),
  active: z.boolean().default(true),
});

/** Sets (creates or replaces) a queue's auto-response of one kind. */
export async function setAutoResponse(db: Db, tenantId: string, raw: z.input<typeof autoResponseInput>) {
  const input = parseInput(autoResponseInput, raw);
  return withTenant(db, tenantId, async (tx) => {
    if (!(await tx.queue.findFirst({ where: { id: input.queueId }, select: { id: true } }))) throw new NotFoundError('Queue');
    const { queueId, kind, ...rest } = input;
    return tx.autoResponse.upsert({
      where: { tenantId_queueId_kind: { tenantId, queueId, kind } },
      create: { tenantId, queueId, kind, ...rest }, update: rest,
    });
  });
}

export const postmasterFilterInput = z.object({
  name: z.string().trim().min(1).max(100),
  position: z.number().int().min(0).max(10_000).default(0),
  match: z.array(filterCondition).min(1).max(20),
  set: filterActions,
  stop: z.boolean().default(false),
  active: z.boolean().default(true),
});

/** Adds a PostMaster filter; its patterns must be valid regular expressions and its targets the tenant's own. */
export async function createPostmasterFilter(db: Db, tenantId: string, raw: z.input<typeof postmasterFilterInput>) {
  const input = parseInput(postmasterFilterInput, raw);
  input.match.forEach((c, i) => {
    try {
      new RegExp(c.pattern, 'iu');
    } catch {
      throw new ValidationError(`Not a valid regular expression: ${c.pattern}`, `match.${i}.pattern`);
    }
  });
  return withTenant(db, tenantId, async (tx) => {
    if (input.set.queueId && !(await tx.queue.findFirst({ where: { id: input.set.queueId } }))) throw new NotFoundError('Queue');
    if (input.set.priorityId && !(await tx.priority.findFirst({ where: { id: input.set.priorityId } }))) throw new NotFoundError('Priority');
    if (input.set.stateId && !(await tx.ticketState.findFirst({ where: { id: input.set.stateId } }))) throw new NotFoundError('State');
    try {
      return await tx.postmasterFilter.create({ data: { tenantId, ...input } });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError('A filter with this name exists already');
      throw e;
    }
  });
}

/** Puts a FAILED inbound mail back into the pipeline (after a fix, or for a transient failure). */
export async function retryInboundMail(services: Services, tenantId: string, inboundMailId: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(inboundMailId)) throw new NotFoundError('Failed mail');
  const row = await withTenant(services.db, tenantId, async (tx) => {
    const { count } = await tx.inboundMail.updateMany({ where: { id: inboundMailId, status: 'FAILED' }, data: { status: 'RECEIVED', failureCode: null, failureReason: null } });
    if (!count) throw new NotFoundError('Failed mail');
    return tx.inboundMail.findUniqueOrThrow({ where: { id: inboundMailId } });
  });
  await enqueue(services.config.REDIS_URL, mailInProcess, { tenantId, inboundMailId }, { jobId: `in-${inboundMailId}-r${row.attempts}`, prefix: services.config.QUEUE_PREFIX });
  return row;
}

export const mailAccountInput = z.object({
  host: z.string().trim().min(1).max(255),
  port: z.number().int().min(1).max(65535).default(993),
  secure: z.boolean().default(true),
  username: z.string().min(1).max(320),
  password: z.string().min(1).max(1000),
  mailbox: z.string().min(1).max(255).default('INBOX'),
  afterFetch: z.enum(['DELETE', 'MARK_SEEN']).default('DELETE'),
  queueId: z.uuid().nullish(),
});

/** Adds an IMAP account to poll. The password is stored encrypted (SECRETS_KEY; api/src/secrets/). */
export async function createMailAccount(db: Db, secrets: SecretBox, tenantId: string, raw: z.input<typeof mailAccountInput>) {
  const input = parseInput(mailAccountInput, raw);
  const password = secrets.seal(input.password, { tenantId, column: SECRET_COLUMNS.mailAccountPassword });
  return withTenant(db, tenantId, async (tx) => {
    if (input.queueId && !(await tx.queue.findFirst({ where: { id: input.queueId } }))) throw new NotFoundError('Queue');
    return tx.mailAccount.create({ data: { tenantId, ...input, password, queueId: input.queueId ?? null } });
  });
}

export const mailSettingsInput = z.object({
  defaultQueueId: z.uuid().nullish(),
  smtpHost: z.string().trim().max(255).nullish(),
  smtpPort: z.number().int().min(1).max(65535).nullish(),
  smtpSecure: z.boolean().optional(),
  smtpUser: z.string().max(320).nullish(),
  smtpPassword: z.string().max(1000).nullish(),
  threadBySenderOpenTicket: z.boolean().optional(),
  maxAutoResponsesPerDay: z.number().int().min(0).max(1000).optional(),
  notifyAgents: z.boolean().optional(),
});

/** Sets the tenant's mail settings; a given SMTP password is stored encrypted (absent: kept, null: removed). */
export async function updateMailSettings(db: Db, secrets: SecretBox, tenantId: string, raw: z.input<typeof mailSettingsInput>) {
  const parsed = parseInput(mailSettingsInput, raw);
  const input = typeof parsed.smtpPassword === 'string'
    ? { ...parsed, smtpPassword: secrets.seal(parsed.smtpPassword, { tenantId, column: SECRET_COLUMNS.smtpPassword }) }
    : parsed;
  return withTenant(db, tenantId, async (tx) => {
    if (input.defaultQueueId && !(await tx.queue.findFirst({ where: { id: input.defaultQueueId } }))) throw new NotFoundError('Queue');
    return tx.mailSettings.upsert({ where: { tenantId }, create: { tenantId, ...input }, update: input });
  });
}

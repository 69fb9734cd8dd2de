import { Prisma, withTenant, type Db, type TenantTx } from '@parley/db';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import type { Services } from '../services.ts';
import { mailAccountInput, postmasterFilterInput, systemAddressInput } from './mail-admin.ts';
import { tenantMailDomain } from './tenant-mail.ts';
import { SECRET_COLUMNS, type SecretBox } from '../secrets/secret-box.ts';

// Editing, disabling and deleting the admin's mail settings (mail-admin.ts creates them), and
// the failed-mail log's dismiss and raw view. Callers check that the viewer is the tenant's
// admin; everything runs under the tenant's row-level security, so another tenant's id is "not found".

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOr404 = (id: string, entity: string) => {
  if (!UUID.test(id)) throw new NotFoundError(entity);
};
const isUnique = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

async function queueOr404(tx: TenantTx, queueId: string | null | undefined) {
  if (queueId && !(await tx.queue.findFirst({ where: { id: queueId }, select: { id: true } }))) throw new NotFoundError('Queue');
}

// ---- Mail accounts ---------------------------------------------------------------------------

export const mailAccountUpdate = mailAccountInput.extend({
  /** Empty or missing: keep the stored password (it is never shown back). */
  password: z.string().max(1000).nullish(),
  active: z.boolean().default(true),
});

export async function updateMailAccount(db: Db, secrets: SecretBox, tenantId: string, id: string, raw: z.input<typeof mailAccountUpdate>) {
  uuidOr404(id, 'Mail account');
  const { password: given, ...input } = parseInput(mailAccountUpdate, raw);
  const password = given ? secrets.seal(given, { tenantId, column: SECRET_COLUMNS.mailAccountPassword }) : null;
  return withTenant(db, tenantId, async (tx) => {
    await queueOr404(tx, input.queueId);
    const current = await tx.mailAccount.findFirst({ where: { id }, select: { host: true, username: true, mailbox: true } });
    if (!current) throw new NotFoundError('Mail account');
    // Another server, user or mailbox is another mailbox: forget the resume point.
    const moved = current.host !== input.host || current.username !== input.username || current.mailbox !== input.mailbox;
    return tx.mailAccount.update({
      where: { id },
      data: { ...input, queueId: input.queueId ?? null, ...(password ? { password } : {}), ...(moved ? { uidValidity: null, lastUid: null, lastError: null } : {}) },
    });
  });
}

/** Deletes an account; the mails it fetched stay in the log (without the account). */
export async function deleteMailAccount(db: Db, tenantId: string, id: string) {
  uuidOr404(id, 'Mail account');
  return withTenant(db, tenantId, async (tx) => {
    const row = await tx.mailAccount.findFirst({ where: { id } });
    if (!row) throw new NotFoundError('Mail account');
    await tx.inboundMail.updateMany({ where: { mailAccountId: id }, data: { mailAccountId: null } });
    await tx.mailAccount.delete({ where: { id } });
    return row;
  });
}

// ---- System addresses ------------------------------------------------------------------------

/** Changes an address's name, queue or the address itself (a changed address outside the tenant's domain is unverified again). */
export async function updateSystemAddress(db: Db, tenantId: string, id: string, raw: z.input<typeof systemAddressInput>, mailDomain: string) {
  uuidOr404(id, 'System address');
  const input = parseInput(systemAddressInput, raw);
  try {
    return await withTenant(db, tenantId, async (tx) => {
      const current = await tx.systemAddress.findFirst({ where: { id } });
      if (!current) throw new NotFoundError('System address');
      await queueOr404(tx, input.queueId);
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { slug: true, mailDomain: true } });
      const own = input.address.endsWith(`@${tenantMailDomain(tenant, mailDomain)}`);
      const verifiedAt = input.address === current.address ? current.verifiedAt : own ? new Date() : null;
      return tx.systemAddress.update({ where: { id }, data: { address: input.address, displayName: input.displayName || null, queueId: input.queueId, verifiedAt } });
    });
  } catch (e) {
    if (isUnique(e)) throw new ConflictError('This address is already in use');
    throw e;
  }
}

export async function deleteSystemAddress(db: Db, tenantId: string, id: string) {
  uuidOr404(id, 'System address');
  return withTenant(db, tenantId, async (tx) => {
    const row = await tx.systemAddress.findFirst({ where: { id } });
    if (!row) throw new NotFoundError('System address');
    await tx.systemAddress.delete({ where: { id } });
    return row;
  });
}

/**
 * Makes a system address the one its queue sends from (Queue.systemAddress, the From of replies
 * and auto-responses). Only verified addresses: sending as an address the tenant has not proven
 * to own would let it spoof another domain.
 */
export async function useSystemAddressAsSender(db: Db, tenantId: string, id: string) {
  uuidOr404(id, 'System address');
  return withTenant(db, tenantId, async (tx) => {
    const row = await tx.systemAddress.findFirst({ where: { id } });
    if (!row) throw new NotFoundError('System address');
    if (!row.verifiedAt) throw new ValidationError('Only a verified address can be used as a sender', 'address');
    await tx.queue.update({ where: { id: row.queueId }, data: { systemAddress: row.address } });
    return row;
  });
}

// ---- PostMaster filters ----------------------------------------------------------------------

export function checkFilterPatterns(match: { pattern: string }[]) {
  match.forEach((c, i) => {
    try {
      new RegExp(c.pattern, 'iu');
    } catch {
      throw new ValidationError(`Not a valid regular expression: ${c.pattern}`, `match.${i}.pattern`);
    }
  });
}

async function checkFilterTargets(tx: TenantTx, set: z.infer<typeof postmasterFilterInput>['set']) {
  await queueOr404(tx, set.queueId);
  if (set.priorityId && !(await tx.priority.findFirst({ where: { id: set.priorityId } }))) throw new NotFoundError('Priority');
  if (set.stateId && !(await tx.ticketState.findFirst({ where: { id: set.stateId } }))) throw new NotFoundError('State');
}

/** Replaces a filter's conditions and actions. */
export async function updatePostmasterFilter(db: Db, tenantId: string, id: string, raw: z.input<typeof postmasterFilterInput>) {
  uuidOr404(id, 'Filter');
  const input = parseInput(postmasterFilterInput, raw);
  checkFilterPatterns(input.match);
  try {
    return await withTenant(db, tenantId, async (tx) => {
      if (!(await tx.postmasterFilter.findFirst({ where: { id }, select: { id: true } }))) throw new NotFoundError('Filter');
      await checkFilterTargets(tx, input.set);
      return tx.postmasterFilter.update({ where: { id }, data: input });
    });
  } catch (e) {
    if (isUnique(e)) throw new ConflictError('A filter with this name exists already');
    throw e;
  }
}

export async function deletePostmasterFilter(db: Db, tenantId: string, id: string) {
  uuidOr404(id, 'Filter');
  return withTenant(db, tenantId, async (tx) => {
    const row = await tx.postmasterFilter.findFirst({ where: { id } });
    if (!row) throw new NotFoundError('Filter');
    await tx.postmasterFilter.delete({ where: { id } });
    return row;
  });
}

// ---- Auto-responses --------------------------------------------------------------------------

export async function deleteAutoResponse(db: Db, tenantId: string, id: string) {
  uuidOr404(id, 'Auto-response');
  return withTenant(db, tenantId, async (tx) => {
    const row = await tx.autoResponse.findFirst({ where: { id } });
    if (!row) throw new NotFoundError('Auto-response');
    await tx.autoResponse.delete({ where: { id } });
    return row;
  });
}

// ---- Failed-mail log -------------------------------------------------------------------------

/** Takes a FAILED mail off the list without processing it (it stays in the log as IGNORED, raw kept). */
export async function dismissInboundMail(db: Db, tenantId: string, id: string, userId: string) {
  uuidOr404(id, 'Failed mail');
  return withTenant(db, tenantId, async (tx) => {
    const user = await tx.user.findFirst({ where: { id: userId }, select: { name: true } });
    const adminName = user?.name ?? 'an admin';
    const { count } = await tx.inboundMail.updateMany({
      where: { id, status: 'FAILED' },
      data: { status: 'IGNORED', outcome: `dismissed by ${adminName.slice(0, 100)}`, processedAt: new Date() },
    });
    if (!count) throw new NotFoundError('Failed mail');
    return tx.inboundMail.findUniqueOrThrow({ where: { id } });
  });
}

export const RAW_VIEW_MAX_BYTES = 512 * 1024;

/** A stored mail as text for the admin: the header block and the raw source (cut at 512 KiB). The caller escapes it. */
export async function readInboundMailSource(services: Services, tenantId: string, id: string) {
  uuidOr404(id, 'Mail');
  const row = await withTenant(services.db, tenantId, (tx) => tx.inboundMail.findFirst({ where: { id }, select: { storageKey: true, size: true } }));
  if (!row) throw new NotFoundError('Mail');
  let bytes: Buffer;
  try {
    bytes = await services.blobs.get(row.storageKey);
  } catch {
    throw new NotFoundError('Mail', 'The raw mail is no longer stored');
  }
  const shown = bytes.subarray(0, RAW_VIEW_MAX_BYTES);
  const raw = shown.toString('utf8');
  const end = raw.search(/\r?\n\r?\n/);
  return { headers: end === -1 ? raw : raw.slice(0, end), raw, size: bytes.length, truncated: bytes.length > shown.length };
}

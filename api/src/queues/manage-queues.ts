import { Prisma, withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { ConflictError, NotFoundError } from '../errors/app-error.ts';
import { forgetVocabulary } from '../tickets/vocabulary.ts';
import { parseInput } from '../errors/parse-input.ts';

const queueFields = {
  name: z.string().trim().min(1).max(100),
  comment: z.string().max(500).nullable(),
  ticketPrefix: z.string().trim().regex(/^[A-Z][A-Z0-9]{0,9}$/, 'use 1–10 upper-case letters and digits').nullable(),
  followUpOption: z.enum(['POSSIBLE', 'REJECT', 'NEW_TICKET']),
  followUpLock: z.boolean(),
  unlockTimeoutMinutes: z.number().int().min(1).max(60 * 24 * 30).nullable(),
  salutation: z.string().max(2000).nullable(),
  signature: z.string().max(5000).nullable(),
  systemAddress: z.email().trim().toLowerCase().nullable(),
  openToCustomers: z.boolean(),
  active: z.boolean(),
};
export const createQueueInput = z.object(queueFields).partial().required({ name: true });
export const updateQueueInput = z.object({ id: z.uuid(), ...queueFields }).partial().required({ id: true });

function conflict(e: unknown, what: string): never {
  if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError(`${what} exists already`);
  throw e;
}

/** Adds a queue; new queues are readable and writable by the given roles (default: none). */
export async function createQueue(db: Db, tenantId: string, raw: z.input<typeof createQueueInput> & { rwRoleIds?: string[] }) {
  const input = parseInput(createQueueInput, raw);
  return withTenant(db, tenantId, async (tx) => {
    const queue = await tx.queue.create({ data: { tenantId, ...input } }).catch((e) => conflict(e, `A queue named ${input.name}`));
    for (const roleId of raw.rwRoleIds ?? []) {
      await tx.queuePermission.create({ data: { tenantId, roleId, queueId: queue.id, permissions: ['RW'] } });
    }
    return queue;
  });
}

export async function updateQueue(db: Db, tenantId: string, raw: z.input<typeof updateQueueInput>) {
  const { id, ...data } = parseInput(updateQueueInput, raw);
  const queue = await withTenant(db, tenantId, async (tx) => {
    if (!(await tx.queue.findFirst({ where: { id }, select: { id: true } }))) throw new NotFoundError('Queue');
    return tx.queue.update({ where: { id }, data }).catch((e) => conflict(e, `A queue named ${data.name}`));
  });
  forgetVocabulary(tenantId);
  return queue;
}

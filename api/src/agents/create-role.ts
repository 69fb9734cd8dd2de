import { Prisma, withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { ConflictError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';

const permission = z.enum(['RO', 'MOVE_INTO', 'CREATE', 'NOTE', 'OWNER', 'PRIORITY', 'RW']);

export const createRoleInput = z.object({
  name: z.string().trim().min(1).max(100),
  queues: z.array(z.object({ queueId: z.uuid(), permissions: z.array(permission).min(1) })).default([]),
  userIds: z.array(z.uuid()).default([]),
});

/** A role: a set of OTRS queue permissions handed to the agents who hold it. */
export async function createRole(db: Db, tenantId: string, raw: z.input<typeof createRoleInput>) {
  const input = parseInput(createRoleInput, raw);
  try {
    return await withTenant(db, tenantId, async (tx) => {
      const role = await tx.role.create({ data: { tenantId, name: input.name } });
      if (input.queues.length) {
        await tx.queuePermission.createMany({ data: input.queues.map((q) => ({ tenantId, roleId: role.id, queueId: q.queueId, permissions: q.permissions })) });
      }
      if (input.userIds.length) {
        await tx.userRole.createMany({ data: input.userIds.map((userId) => ({ tenantId, userId, roleId: role.id })) });
      }
      return role;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError(`A role named ${input.name} exists already`);
    throw e;
  }
}

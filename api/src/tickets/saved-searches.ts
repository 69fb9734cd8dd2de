import { Prisma, withTenant } from '@parley/db';
import { z } from 'zod';
import type { AgentViewer } from '../auth/viewer.ts';
import { ConflictError, NotFoundError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import type { UseCaseContext } from './ticket-context.ts';

type AgentContext = UseCaseContext & { viewer: AgentViewer };

export const saveSearchInput = z.object({
  name: z.string().trim().min(1).max(100),
  filter: z.record(z.string(), z.unknown()),
  isDefault: z.boolean().default(false),
});

/**
 * Saves (or replaces, by name) one of the agent's searches; at most one is the default view, so
 * making one default clears the flag on the others in the same transaction.
 */
export async function saveSearch(ctx: AgentContext, raw: z.input<typeof saveSearchInput>) {
  const input = parseInput(saveSearchInput, raw);
  const { tenantId, userId } = ctx.viewer;
  try {
    return await withTenant(ctx.db, tenantId, async (tx) => {
      if (input.isDefault) await tx.savedSearch.updateMany({ where: { userId, isDefault: true, NOT: { name: input.name } }, data: { isDefault: false } });
      const filter = input.filter as Prisma.InputJsonValue;
      return tx.savedSearch.upsert({
        where: { tenantId_userId_name: { tenantId, userId, name: input.name } },
        create: { tenantId, userId, name: input.name, filter, isDefault: input.isDefault },
        update: { filter, isDefault: input.isDefault },
      });
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError('Another default view was saved at the same time; try again');
    throw e;
  }
}

export async function deleteSavedSearch(ctx: AgentContext, id: string) {
  return withTenant(ctx.db, ctx.viewer.tenantId, async (tx) => {
    const found = await tx.savedSearch.findFirst({ where: { id, userId: ctx.viewer.userId } });
    if (!found) throw new NotFoundError('Saved search');
    await tx.savedSearch.delete({ where: { id } });
    return found;
  });
}

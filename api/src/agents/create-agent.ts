import { Prisma, withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { hashPassword } from '../auth/secrets.ts';
import { ConflictError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { assertAgentSeat } from '../billing/tenant-plans.ts';

export const createAgentInput = z.object({
  email: z.email().trim().toLowerCase(),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(8).max(200),
  admin: z.boolean().default(false),
  roleIds: z.array(z.uuid()).default([]),
  locale: z.enum(['en', 'de', 'ru', 'ro']).optional(),
});

/**
 * Adds an agent (or tenant admin) with the given roles. With `planLimits` (the API passes
 * `planLimitsApply(config)`) an agent beyond the tenant's plan is refused with PlanLimitError;
 * provisioning (onboarding, seeds, fixtures) calls it without.
 */
export async function createAgent(db: Db, tenantId: string, raw: z.input<typeof createAgentInput>, opts: { planLimits?: boolean } = {}) {
  const input = parseInput(createAgentInput, raw);
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTenant(db, tenantId, async (tx) => {
      if (opts.planLimits) await assertAgentSeat(tx, tenantId);
      const user = await tx.user.create({
        data: { tenantId, email: input.email, name: input.name, passwordHash, kind: input.admin ? 'ADMIN' : 'AGENT', locale: input.locale },
      });
      if (input.roleIds.length) {
        await tx.userRole.createMany({ data: input.roleIds.map((roleId) => ({ tenantId, userId: user.id, roleId })) });
      }
      return user;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError(`An agent with the e-mail ${input.email} exists already`);
    throw e;
  }
}

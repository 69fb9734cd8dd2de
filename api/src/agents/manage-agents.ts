import { withTenant, type Db, type Permission } from '@parley/db';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { assertAgentSeat } from '../billing/tenant-plans.ts';

const permission = z.enum(['RO', 'MOVE_INTO', 'CREATE', 'NOTE', 'OWNER', 'PRIORITY', 'RW']);

export const updateAgentInput = z.object({
  id: z.uuid(),
  name: z.string().trim().min(1).max(200).optional(),
  active: z.boolean().optional(),
  admin: z.boolean().optional(),
  locale: z.enum(['en', 'de', 'ru', 'ro']).nullable().optional(),
  roleIds: z.array(z.uuid()).optional(),
});

/**
 * Changes an agent: name, language, admin flag, active (a deactivated agent cannot sign in and
 * their sessions end; reactivating one takes a plan seat, see createAgent), and the set of roles. An admin cannot demote or deactivate themselves, so
 * a tenant never loses its last way in by accident.
 */
export async function updateAgent(db: Db, tenantId: string, actingUserId: string, raw: z.input<typeof updateAgentInput>, opts: { planLimits?: boolean } = {}) {
  const input = parseInput(updateAgentInput, raw);
  if (input.id === actingUserId && (input.active === false || input.admin === false)) {
    throw new ForbiddenError('You cannot deactivate or demote yourself');
  }
  return withTenant(db, tenantId, async (tx) => {
    const agent = await tx.user.findFirst({ where: { id: input.id } });
    if (!agent) throw new NotFoundError('Agent');
    if (opts.planLimits && input.active === true && !agent.active) await assertAgentSeat(tx, tenantId); // reactivating takes a seat
    if (input.roleIds) {
      const roles = await tx.role.count({ where: { id: { in: input.roleIds } } });
      if (roles !== new Set(input.roleIds).size) throw new NotFoundError('Role');
      await tx.userRole.deleteMany({ where: { userId: agent.id } });
      await tx.userRole.createMany({ data: [...new Set(input.roleIds)].map((roleId) => ({ tenantId, userId: agent.id, roleId })) });
    }
    if (input.active === false) await tx.session.deleteMany({ where: { userId: agent.id } });
    return tx.user.update({
      where: { id: agent.id },
      data: {
        name: input.name, active: input.active, locale: input.locale,
        kind: input.admin === undefined ? undefined : input.admin ? 'ADMIN' : 'AGENT',
      },
    });
  });
}

export const setRolePermissionsInput = z.object({
  roleId: z.uuid(),
  queues: z.array(z.object({ queueId: z.uuid(), permissions: z.array(permission) })),
});

/** Replaces a role's queue permissions (a queue with an empty list loses all of them). */
export async function setRolePermissions(db: Db, tenantId: string, raw: z.input<typeof setRolePermissionsInput>) {
  const input = parseInput(setRolePermissionsInput, raw);
  return withTenant(db, tenantId, async (tx) => {
    const role = await tx.role.findFirst({ where: { id: input.roleId } });
    if (!role) throw new NotFoundError('Role');
    const queueIds = input.queues.map((q) => q.queueId);
    if ((await tx.queue.count({ where: { id: { in: queueIds } } })) !== new Set(queueIds).size) throw new NotFoundError('Queue');
    await tx.queuePermission.deleteMany({ where: { roleId: role.id } });
    const rows = input.queues.filter((q) => q.permissions.length > 0)
      .map((q) => ({ tenantId, roleId: role.id, queueId: q.queueId, permissions: [...new Set(q.permissions)] as Permission[] }));
    if (rows.length) await tx.queuePermission.createMany({ data: rows });
    return role;
  });
}

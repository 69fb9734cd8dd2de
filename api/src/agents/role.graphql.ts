import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { PlanLimitError } from '../billing/billing-errors.ts';
import { planLimitsApply } from '../billing/tenant-plans.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { AgentType } from './agent.graphql.ts';
import { createRole } from './create-role.ts';
import { setRolePermissions, updateAgent } from './manage-agents.ts';

const PermissionEnum = builder.enumType('QueuePermissionKind', {
  description: 'OTRS queue permissions; RW implies all others',
  values: ['RO', 'MOVE_INTO', 'CREATE', 'NOTE', 'OWNER', 'PRIORITY', 'RW'] as const,
});

export const QueuePermissionType = builder.prismaObject('QueuePermission', {
  fields: (t) => ({
    queue: t.relation('queue'),
    permissions: t.field({ type: [PermissionEnum], resolve: (p) => p.permissions }),
  }),
});

export const RoleType = builder.prismaObject('Role', {
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    permissions: t.relation('permissions'),
    agents: t.field({
      type: [AgentType],
      select: { users: { select: { user: true } } },
      resolve: async (role, _args, ctx) => {
        const users = (role as { users?: Array<{ user: unknown }> }).users
          ?? await tenantClient(ctx).userRole.findMany({ where: { roleId: role.id }, select: { user: true } });
        return users.map((u) => u.user) as never;
      },
    }),
  }),
});

builder.prismaObjectField(AgentType, 'roles', (t) => t.field({
  type: [RoleType],
  authScopes: { admin: true },
  select: { roles: { select: { role: true } } },
  resolve: async (user, _args, ctx) => {
    const roles = (user as { roles?: Array<{ role: unknown }> }).roles
      ?? await tenantClient(ctx).userRole.findMany({ where: { userId: user.id }, select: { role: true } });
    return roles.map((r) => r.role) as never;
  },
}));

builder.queryField('roles', (t) => t.prismaField({
  type: [RoleType],
  authScopes: { admin: true },
  resolve: (query, _root, _args, ctx) => tenantClient(ctx).role.findMany({ ...query, orderBy: { name: 'asc' } }),
}));

const QueuePermissionInput = builder.inputType('QueuePermissionInput', {
  fields: (t) => ({ queueId: t.id({ required: true }), permissions: t.field({ type: [PermissionEnum], required: true }) }),
});

builder.mutationField('createRole', (t) => t.prismaField({
  type: RoleType,
  authScopes: { admin: true },
  errors: { types: [ValidationError, ConflictError], dataField: { name: 'role' } },
  args: { name: t.arg.string({ required: true }), queues: t.arg({ type: [QueuePermissionInput] }) },
  resolve: (_q, _root, args, ctx) => createRole(ctx.services.db, agentContext(ctx).viewer.tenantId, {
    name: args.name, queues: (args.queues ?? []).map((q) => ({ queueId: String(q.queueId), permissions: q.permissions })),
  }),
}));

builder.mutationField('setRolePermissions', (t) => t.prismaField({
  type: RoleType,
  authScopes: { admin: true },
  description: 'Replace the queue permissions of a role',
  errors: { types: [ValidationError, NotFoundError], dataField: { name: 'role' } },
  args: { roleId: t.arg.id({ required: true }), queues: t.arg({ type: [QueuePermissionInput], required: true }) },
  resolve: (_q, _root, args, ctx) => setRolePermissions(ctx.services.db, agentContext(ctx).viewer.tenantId, {
    roleId: String(args.roleId), queues: args.queues.map((q) => ({ queueId: String(q.queueId), permissions: q.permissions })),
  }),
}));

const UpdateAgentInput = builder.inputType('UpdateAgentInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    active: t.boolean(),
    admin: t.boolean(),
    locale: t.string(),
    roleIds: t.idList({ description: 'Replaces the agent\'s roles' }),
  }),
});

builder.mutationField('updateAgent', (t) => t.prismaField({
  type: AgentType,
  authScopes: { admin: true },
  errors: { types: [ValidationError, NotFoundError, ForbiddenError, PlanLimitError], dataField: { name: 'agent' } },
  args: { input: t.arg({ type: UpdateAgentInput, required: true }) },
  resolve: (_q, _root, { input }, ctx) => {
    const viewer = agentContext(ctx).viewer;
    return updateAgent(ctx.services.db, viewer.tenantId, viewer.userId, {
      id: String(input.id), name: input.name ?? undefined, active: input.active ?? undefined, admin: input.admin ?? undefined,
      locale: (input.locale ?? undefined) as never, roleIds: input.roleIds?.map(String),
    }, { planLimits: planLimitsApply(ctx.services.config) });
  },
}));

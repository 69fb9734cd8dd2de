import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { ConflictError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { createAgent } from './create-agent.ts';
import { PlanLimitError } from '../billing/billing-errors.ts';
import { planLimitsApply } from '../billing/tenant-plans.ts';

export const AgentType = builder.prismaObject('User', {
  name: 'Agent',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.exposeString('email', { authScopes: { agent: true } }),
    admin: t.boolean({ resolve: (u) => u.kind === 'ADMIN' }),
    active: t.exposeBoolean('active', { authScopes: { agent: true } }),
  }),
});

builder.queryField('agents', (t) => t.prismaField({
  type: [AgentType],
  authScopes: { agent: true },
  args: { includeInactive: t.arg.boolean({ description: 'Admins: also deactivated agents' }) },
  resolve: (query, _root, args, ctx) => tenantClient(ctx).user.findMany({
    ...query,
    where: args.includeInactive && ctx.viewer.kind === 'agent' && ctx.viewer.isAdmin ? {} : { active: true },
    orderBy: { name: 'asc' },
  }),
}));

const CreateAgentInput = builder.inputType('CreateAgentInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    name: t.string({ required: true }),
    password: t.string({ required: true }),
    admin: t.boolean(),
    roleIds: t.idList(),
  }),
});

builder.mutationField('createAgent', (t) => t.prismaField({
  type: AgentType,
  authScopes: { admin: true },
  errors: { types: [ValidationError, ConflictError, PlanLimitError], dataField: { name: 'agent' } },
  args: { input: t.arg({ type: CreateAgentInput, required: true }) },
  resolve: (_query, _root, { input }, ctx) => createAgent(ctx.services.db, agentContext(ctx).viewer.tenantId, {
    email: input.email, name: input.name, password: input.password, admin: input.admin ?? false, roleIds: (input.roleIds ?? []).map(String),
  }, { planLimits: planLimitsApply(ctx.services.config) }),
}));

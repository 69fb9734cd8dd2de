import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { ConflictError, ForbiddenError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { applyRetention, retentionReport, setRetentionPolicy } from './retention.ts';

const RetentionActionEnum = builder.enumType('RetentionAction', { values: ['DELETE', 'ANONYMIZE'] as const });

const RetentionPolicyType = builder.prismaObject('RetentionPolicy', {
  fields: (t) => ({
    archiveAfterDays: t.exposeInt('archiveAfterDays', { nullable: true, description: 'Closed tickets are archived after this many days' }),
    retentionMonths: t.exposeInt('retentionMonths', { nullable: true, description: 'Closed tickets are deleted or anonymized after this many months' }),
    retentionAction: t.expose('retentionAction', { type: RetentionActionEnum }),
  }),
});

const RetentionReportType = builder.objectRef<Awaited<ReturnType<typeof retentionReport>>>('RetentionReport').implement({
  description: 'Dry run: what applyRetention would do now',
  fields: (t) => ({
    action: t.field({ type: RetentionActionEnum, nullable: true, resolve: (r) => r.action }),
    cutoff: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.cutoff }),
    count: t.exposeInt('count'),
    sample: t.exposeStringList('sample', { description: 'Numbers of (up to 20 of) the affected tickets, oldest first' }),
  }),
});

const RetentionResultType = builder.objectRef<{ action: string | null; affected: number }>('RetentionResult').implement({
  fields: (t) => ({ affected: t.exposeInt('affected') }),
});

builder.queryFields((t) => ({
  retentionPolicy: t.prismaField({
    type: RetentionPolicyType, nullable: true, authScopes: { admin: true },
    resolve: (q, _r, _a, ctx) => tenantClient(ctx).retentionPolicy.findFirst(q),
  }),
  retentionReport: t.field({
    type: RetentionReportType, authScopes: { admin: true },
    resolve: (_r, _a, ctx) => retentionReport(ctx.services.db, agentContext(ctx).viewer),
  }),
}));

const RetentionPolicyInput = builder.inputType('RetentionPolicyInput', {
  fields: (t) => ({ archiveAfterDays: t.int(), retentionMonths: t.int(), retentionAction: t.field({ type: RetentionActionEnum }) }),
});

builder.mutationField('setRetentionPolicy', (t) => t.prismaField({
  type: RetentionPolicyType, authScopes: { admin: true },
  errors: { types: [ValidationError, ForbiddenError], dataField: { name: 'policy' } },
  args: { input: t.arg({ type: RetentionPolicyInput, required: true }) },
  resolve: (_q, _r, { input }, ctx) => setRetentionPolicy(ctx.services.db, agentContext(ctx).viewer, {
    archiveAfterDays: input.archiveAfterDays ?? null, retentionMonths: input.retentionMonths ?? null, retentionAction: input.retentionAction ?? 'ANONYMIZE',
  }),
}));

builder.mutationField('applyRetention', (t) => t.field({
  type: RetentionResultType, authScopes: { admin: true },
  description: 'Deletes or anonymizes what retentionReport shows; expectedCount must match its count',
  errors: { types: [ConflictError, ForbiddenError], dataField: { name: 'result' } },
  args: { expectedCount: t.arg.int({ required: true }) },
  resolve: (_r, { expectedCount }, ctx) => applyRetention(ctx.services, agentContext(ctx).viewer, expectedCount),
}));

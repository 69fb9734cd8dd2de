import { builder } from '../graphql/builder.ts';
import { ConflictError, NotFoundError, RateLimitedError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { tenantClient, type GraphQLContext } from '../graphql/context.ts';
import {
  deleteAutoResponse, deleteMailAccount, deletePostmasterFilter, deleteSystemAddress, dismissInboundMail,
  readInboundMailSource, updateMailAccount, updatePostmasterFilter, updateSystemAddress, useSystemAddressAsSender,
} from './mail-admin-edit.ts';
import { testMailAccount, testSmtpSettings, type ConnectionTestResult } from './test-mail-connection.ts';

// Editing and deleting what mail-admin.graphql.ts creates, connection tests, and the failed-mail
// log's dismiss and source view. Admin only; ids of another tenant answer NotFoundError.
const admin = { admin: true } as const;
const viewerOf = (ctx: GraphQLContext) => agentContext(ctx).viewer;
const tenantOf = (ctx: GraphQLContext) => viewerOf(ctx).tenantId;
const errors = (dataField: string) => ({ types: [ValidationError, NotFoundError, ConflictError], dataField: { name: dataField } });
// Every result union has the same members, so clients can use one error fragment.
const notFound = errors;
const tested = (dataField: string) => ({ types: [ValidationError, NotFoundError, ConflictError, RateLimitedError], dataField: { name: dataField } });
const keep = <T>(v: T | null | undefined) => v ?? undefined;

const ConnectionTest = builder.objectRef<ConnectionTestResult>('MailConnectionTest').implement({
  description: 'The result of a test connection (nothing is fetched or sent)',
  fields: (t) => ({ ok: t.exposeBoolean('ok'), message: t.exposeString('message'), elapsedMs: t.exposeInt('elapsedMs') }),
});
const MailSource = builder.objectRef<{ headers: string; raw: string; size: number; truncated: boolean }>('InboundMailSource').implement({
  description: 'A stored mail as text (show it escaped): the header block and the source, cut at 512 KiB',
  fields: (t) => ({ headers: t.exposeString('headers'), raw: t.exposeString('raw'), size: t.exposeInt('size'), truncated: t.exposeBoolean('truncated') }),
});

builder.queryFields((t) => ({
  inboundMail: t.prismaField({
    type: 'InboundMail', nullable: true, authScopes: admin, args: { id: t.arg.id({ required: true }) },
    resolve: (q, _r, { id }, ctx) => (/^[0-9a-f-]{36}$/i.test(String(id)) ? tenantClient(ctx).inboundMail.findFirst({ ...q, where: { id: String(id) } }) : null),
  }),
  inboundMailSource: t.field({
    type: MailSource, authScopes: admin, errors: notFound('source'), args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => readInboundMailSource(ctx.services, tenantOf(ctx), String(id)),
  }),
}));

const UpdateMailAccountInput = builder.inputType('UpdateMailAccountInput', {
  fields: (t) => ({
    host: t.string({ required: true }), port: t.int(), secure: t.boolean(), username: t.string({ required: true }),
    password: t.string({ description: 'Empty or missing: keep the stored one' }), mailbox: t.string(), afterFetch: t.string(), queueId: t.id(), active: t.boolean(),
  }),
});
const UpdateSystemAddressInput = builder.inputType('UpdateSystemAddressInput', { fields: (t) => ({ address: t.string({ required: true }), displayName: t.string(), queueId: t.id({ required: true }) }) });
const FilterConditionUpdate = builder.inputType('PostmasterFilterConditionUpdate', { fields: (t) => ({ header: t.string({ required: true }), pattern: t.string({ required: true }), negate: t.boolean() }) });
const UpdatePostmasterFilterInput = builder.inputType('UpdatePostmasterFilterInput', {
  fields: (t) => ({
    name: t.string({ required: true }), position: t.int(), stop: t.boolean(), active: t.boolean(), match: t.field({ type: [FilterConditionUpdate], required: true }),
    setQueueId: t.id(), setPriorityId: t.id(), setStateId: t.id(), ignore: t.boolean(),
  }),
});

builder.mutationFields((t) => ({
  updateMailAccount: t.prismaField({ type: 'MailAccount', authScopes: admin, errors: errors('mailAccount'),
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateMailAccountInput, required: true }) },
    resolve: (_q, _r, { id, input }, ctx) => updateMailAccount(ctx.services.db, ctx.services.secrets, tenantOf(ctx), String(id), {
      host: input.host, port: keep(input.port), secure: keep(input.secure), username: input.username, password: input.password, mailbox: keep(input.mailbox),
      afterFetch: keep(input.afterFetch) as never, queueId: input.queueId ? String(input.queueId) : null, active: keep(input.active),
    }) }),
  deleteMailAccount: t.prismaField({ type: 'MailAccount', authScopes: admin, errors: notFound('mailAccount'), args: { id: t.arg.id({ required: true }) },
    resolve: (_q, _r, { id }, ctx) => deleteMailAccount(ctx.services.db, tenantOf(ctx), String(id)) }),
  testMailAccount: t.field({ type: ConnectionTest, authScopes: admin, errors: tested('test'), args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, ctx) => testMailAccount(ctx.services, tenantOf(ctx), String(id)) }),
  testSmtpSettings: t.field({ type: ConnectionTest, authScopes: admin, errors: tested('test'),
    resolve: (_r, _a, ctx) => testSmtpSettings(ctx.services, tenantOf(ctx)) }),
  updateSystemAddress: t.prismaField({ type: 'SystemAddress', authScopes: admin, errors: errors('systemAddress'),
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdateSystemAddressInput, required: true }) },
    resolve: (_q, _r, { id, input }, ctx) => updateSystemAddress(ctx.services.db, tenantOf(ctx), String(id), { address: input.address, displayName: keep(input.displayName), queueId: String(input.queueId) }, ctx.services.config.MAIL_DOMAIN) }),
  deleteSystemAddress: t.prismaField({ type: 'SystemAddress', authScopes: admin, errors: notFound('systemAddress'), args: { id: t.arg.id({ required: true }) },
    resolve: (_q, _r, { id }, ctx) => deleteSystemAddress(ctx.services.db, tenantOf(ctx), String(id)) }),
  useSystemAddressAsSender: t.prismaField({ type: 'SystemAddress', authScopes: admin, errors: errors('systemAddress'), args: { id: t.arg.id({ required: true }) },
    description: 'Replies and auto-responses of the address\'s queue go out from it (verified addresses only)',
    resolve: (_q, _r, { id }, ctx) => useSystemAddressAsSender(ctx.services.db, tenantOf(ctx), String(id)) }),
  updatePostmasterFilter: t.prismaField({ type: 'PostmasterFilter', authScopes: admin, errors: errors('postmasterFilter'),
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: UpdatePostmasterFilterInput, required: true }) },
    resolve: (_q, _r, { id, input }, ctx) => updatePostmasterFilter(ctx.services.db, tenantOf(ctx), String(id), {
      name: input.name, position: keep(input.position), stop: keep(input.stop), active: keep(input.active),
      match: input.match.map((c) => ({ header: c.header, pattern: c.pattern, negate: keep(c.negate) })),
      set: { queueId: input.setQueueId ? String(input.setQueueId) : undefined, priorityId: input.setPriorityId ? String(input.setPriorityId) : undefined, stateId: input.setStateId ? String(input.setStateId) : undefined, ignore: keep(input.ignore) },
    }) }),
  deletePostmasterFilter: t.prismaField({ type: 'PostmasterFilter', authScopes: admin, errors: notFound('postmasterFilter'), args: { id: t.arg.id({ required: true }) },
    resolve: (_q, _r, { id }, ctx) => deletePostmasterFilter(ctx.services.db, tenantOf(ctx), String(id)) }),
  deleteAutoResponse: t.prismaField({ type: 'AutoResponse', authScopes: admin, errors: notFound('autoResponse'), args: { id: t.arg.id({ required: true }) },
    resolve: (_q, _r, { id }, ctx) => deleteAutoResponse(ctx.services.db, tenantOf(ctx), String(id)) }),
  dismissInboundMail: t.prismaField({ type: 'InboundMail', authScopes: admin, errors: notFound('inboundMail'), args: { id: t.arg.id({ required: true }) },
    resolve: (_q, _r, { id }, ctx) => dismissInboundMail(ctx.services.db, tenantOf(ctx), String(id), viewerOf(ctx).userId) }),
}));

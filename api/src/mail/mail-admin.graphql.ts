import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { rotateIngestToken } from './inbound/http-ingest.ts';
import { createMailAccount, createPostmasterFilter, createSystemAddress, retryInboundMail, setAutoResponse, updateMailSettings } from './mail-admin.ts';

// The tenant admin's mail settings: IMAP accounts, system addresses, PostMaster filters,
// auto-responses, SMTP and ingest settings, and the inbound mail log (failed mails, with retry).
const admin = { admin: true } as const;
const tenantOf = (ctx: Parameters<typeof agentContext>[0]) => agentContext(ctx).viewer.tenantId;

const InboundMailStatusEnum = builder.enumType('InboundMailStatus', { values: ['RECEIVED', 'PROCESSED', 'DUPLICATE', 'IGNORED', 'FAILED'] as const });

builder.prismaObject('MailAccount', {
  description: 'An IMAP mailbox polled for new mail (the password is never returned)',
  fields: (t) => ({
    id: t.exposeID('id'), host: t.exposeString('host'), port: t.exposeInt('port'), secure: t.exposeBoolean('secure'),
    username: t.exposeString('username'), mailbox: t.exposeString('mailbox'), afterFetch: t.exposeString('afterFetch'),
    queueId: t.exposeID('queueId', { nullable: true }), active: t.exposeBoolean('active'),
    lastPolledAt: t.expose('lastPolledAt', { type: 'DateTime', nullable: true }), lastError: t.exposeString('lastError', { nullable: true }),
  }),
});
builder.prismaObject('SystemAddress', {
  fields: (t) => ({
    id: t.exposeID('id'), address: t.exposeString('address'), displayName: t.exposeString('displayName', { nullable: true }),
    queueId: t.exposeID('queueId'), verified: t.boolean({ resolve: (a) => a.verifiedAt !== null }),
  }),
});
const FilterCondition = builder.objectRef<{ header: string; pattern: string; negate?: boolean }>('PostmasterFilterCondition').implement({
  fields: (t) => ({ header: t.exposeString('header'), pattern: t.exposeString('pattern'), negate: t.boolean({ resolve: (c) => Boolean(c.negate) }) }),
});
builder.prismaObject('PostmasterFilter', {
  fields: (t) => ({
    id: t.exposeID('id'), name: t.exposeString('name'), position: t.exposeInt('position'), active: t.exposeBoolean('active'), stop: t.exposeBoolean('stop'),
    match: t.field({ type: [FilterCondition], resolve: (f) => f.match as never }),
    setQueueId: t.id({ nullable: true, resolve: (f) => (f.set as { queueId?: string }).queueId ?? null }),
    setPriorityId: t.id({ nullable: true, resolve: (f) => (f.set as { priorityId?: string }).priorityId ?? null }),
    setStateId: t.id({ nullable: true, resolve: (f) => (f.set as { stateId?: string }).stateId ?? null }),
    ignore: t.boolean({ resolve: (f) => Boolean((f.set as { ignore?: boolean }).ignore) }),
  }),
});
builder.prismaObject('AutoResponse', {
  fields: (t) => ({ id: t.exposeID('id'), queueId: t.exposeID('queueId'), kind: t.exposeString('kind'), subject: t.exposeString('subject'), body: t.exposeString('body'), active: t.exposeBoolean('active') }),
});
builder.prismaObject('InboundMail', {
  description: 'A received mail as stored (the raw bytes stay in the blob store) and what became of it',
  fields: (t) => ({
    id: t.exposeID('id'), source: t.exposeString('source'), status: t.expose('status', { type: InboundMailStatusEnum }),
    outcome: t.exposeString('outcome', { nullable: true }), failureCode: t.exposeString('failureCode', { nullable: true }),
    failureReason: t.exposeString('failureReason', { nullable: true }), messageId: t.exposeString('messageId', { nullable: true }),
    envelopeFrom: t.exposeString('envelopeFrom', { nullable: true }), recipients: t.exposeStringList('recipients'), size: t.exposeInt('size'),
    attempts: t.exposeInt('attempts'), ticketId: t.exposeID('ticketId', { nullable: true }),
    receivedAt: t.expose('receivedAt', { type: 'DateTime' }), processedAt: t.expose('processedAt', { type: 'DateTime', nullable: true }),
  }),
});
builder.prismaObject('MailSettings', {
  fields: (t) => ({
    defaultQueueId: t.exposeID('defaultQueueId', { nullable: true }), smtpHost: t.exposeString('smtpHost', { nullable: true }),
    smtpPort: t.exposeInt('smtpPort', { nullable: true }), smtpSecure: t.exposeBoolean('smtpSecure'), smtpUser: t.exposeString('smtpUser', { nullable: true }),
    threadBySenderOpenTicket: t.exposeBoolean('threadBySenderOpenTicket'), maxAutoResponsesPerDay: t.exposeInt('maxAutoResponsesPerDay'),
    notifyAgents: t.exposeBoolean('notifyAgents'), hasIngestToken: t.boolean({ resolve: (s) => s.ingestTokenHash !== null }),
  }),
});

builder.queryFields((t) => ({
  mailAccounts: t.prismaField({ type: ['MailAccount'], authScopes: admin, resolve: (q, _r, _a, ctx) => tenantClient(ctx).mailAccount.findMany({ ...q, orderBy: { createdAt: 'asc' } }) }),
  systemAddresses: t.prismaField({ type: ['SystemAddress'], authScopes: admin, resolve: (q, _r, _a, ctx) => tenantClient(ctx).systemAddress.findMany({ ...q, orderBy: { address: 'asc' } }) }),
  postmasterFilters: t.prismaField({ type: ['PostmasterFilter'], authScopes: admin, resolve: (q, _r, _a, ctx) => tenantClient(ctx).postmasterFilter.findMany({ ...q, orderBy: [{ position: 'asc' }, { name: 'asc' }] }) }),
  autoResponses: t.prismaField({ type: ['AutoResponse'], authScopes: admin, resolve: (q, _r, _a, ctx) => tenantClient(ctx).autoResponse.findMany({ ...q }) }),
  mailSettings: t.prismaField({ type: 'MailSettings', nullable: true, authScopes: admin, resolve: (q, _r, _a, ctx) => tenantClient(ctx).mailSettings.findFirst({ ...q }) }),
  inboundMails: t.prismaField({
    type: ['InboundMail'], authScopes: admin, description: 'The mail log, newest first; status FAILED lists the mails that need attention',
    args: { status: t.arg({ type: InboundMailStatusEnum, required: false }), first: t.arg.int({ required: false, defaultValue: 50 }) },
    resolve: (q, _r, a, ctx) => tenantClient(ctx).inboundMail.findMany({ ...q, where: a.status ? { status: a.status } : {}, orderBy: { receivedAt: 'desc' }, take: Math.min(Math.max(a.first ?? 50, 1), 200) }),
  }),
}));

const FilterConditionInput = builder.inputType('PostmasterFilterConditionInput', { fields: (t) => ({ header: t.string({ required: true }), pattern: t.string({ required: true }), negate: t.boolean() }) });
const CreatePostmasterFilterInput = builder.inputType('CreatePostmasterFilterInput', {
  fields: (t) => ({
    name: t.string({ required: true }), position: t.int(), stop: t.boolean(), match: t.field({ type: [FilterConditionInput], required: true }),
    setQueueId: t.id(), setPriorityId: t.id(), setStateId: t.id(), ignore: t.boolean(),
  }),
});
const MailAccountInput = builder.inputType('CreateMailAccountInput', {
  fields: (t) => ({ host: t.string({ required: true }), port: t.int(), secure: t.boolean(), username: t.string({ required: true }), password: t.string({ required: true }), mailbox: t.string(), afterFetch: t.string(), queueId: t.id() }),
});
const SystemAddressInput = builder.inputType('CreateSystemAddressInput', { fields: (t) => ({ address: t.string({ required: true }), displayName: t.string(), queueId: t.id({ required: true }) }) });
const AutoResponseInput = builder.inputType('SetAutoResponseInput', {
  fields: (t) => ({ queueId: t.id({ required: true }), kind: t.string({ required: true, description: 'NEW_TICKET, FOLLOW_UP or REJECT' }), subject: t.string({ required: true }), body: t.string({ required: true }), active: t.boolean() }),
});
const MailSettingsInput = builder.inputType('UpdateMailSettingsInput', {
  fields: (t) => ({
    defaultQueueId: t.id(), smtpHost: t.string(), smtpPort: t.int(), smtpSecure: t.boolean(), smtpUser: t.string(), smtpPassword: t.string(),
    threadBySenderOpenTicket: t.boolean(), maxAutoResponsesPerDay: t.int(), notifyAgents: t.boolean(),
  }),
});
const strip = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as never;
const errors = (dataField: string) => ({ types: [ValidationError, NotFoundError, ConflictError], dataField: { name: dataField } });

builder.mutationFields((t) => ({
  createMailAccount: t.prismaField({ type: 'MailAccount', authScopes: admin, errors: errors('mailAccount'), args: { input: t.arg({ type: MailAccountInput, required: true }) },
    resolve: (_q, _r, { input }, ctx) => createMailAccount(ctx.services.db, ctx.services.secrets, tenantOf(ctx), strip(input)) }),
  createSystemAddress: t.prismaField({ type: 'SystemAddress', authScopes: admin, errors: errors('systemAddress'), args: { input: t.arg({ type: SystemAddressInput, required: true }) },
    resolve: (_q, _r, { input }, ctx) => createSystemAddress(ctx.services.db, tenantOf(ctx), strip(input), ctx.services.config.MAIL_DOMAIN) }),
  setAutoResponse: t.prismaField({ type: 'AutoResponse', authScopes: admin, errors: errors('autoResponse'), args: { input: t.arg({ type: AutoResponseInput, required: true }) },
    resolve: (_q, _r, { input }, ctx) => setAutoResponse(ctx.services.db, tenantOf(ctx), strip(input)) }),
  createPostmasterFilter: t.prismaField({ type: 'PostmasterFilter', authScopes: admin, errors: errors('postmasterFilter'), args: { input: t.arg({ type: CreatePostmasterFilterInput, required: true }) },
    resolve: (_q, _r, { input }, ctx) => createPostmasterFilter(ctx.services.db, tenantOf(ctx), {
      name: input.name, position: input.position ?? undefined, stop: input.stop ?? undefined,
      match: input.match.map((c) => ({ header: c.header, pattern: c.pattern, negate: c.negate ?? undefined })),
      set: strip({ queueId: input.setQueueId, priorityId: input.setPriorityId, stateId: input.setStateId, ignore: input.ignore }),
    }) }),
  updateMailSettings: t.prismaField({ type: 'MailSettings', authScopes: admin, errors: errors('mailSettings'), args: { input: t.arg({ type: MailSettingsInput, required: true }) },
    resolve: (_q, _r, { input }, ctx) => updateMailSettings(ctx.services.db, ctx.services.secrets, tenantOf(ctx), strip(input)) }),
  retryInboundMail: t.prismaField({ type: 'InboundMail', authScopes: admin, errors: errors('inboundMail'), args: { id: t.arg.id({ required: true }) },
    resolve: (_q, _r, { id }, ctx) => retryInboundMail(ctx.services, tenantOf(ctx), String(id)) }),
  rotateMailIngestToken: t.string({ authScopes: admin, description: 'A new token for POST /mail/inbound/<slug> (shown only now; the old one stops working)',
    resolve: (_r, _a, ctx) => rotateIngestToken(ctx.services.db, tenantOf(ctx)) }),
}));

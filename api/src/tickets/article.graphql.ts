import { builder } from '../graphql/builder.ts';
import { tenantClient } from '../graphql/context.ts';
import { TicketChannelEnum, TicketType } from './ticket.graphql.ts';

const SenderTypeEnum = builder.enumType('SenderType', { values: ['AGENT', 'CUSTOMER', 'SYSTEM'] as const });

export const AttachmentType = builder.prismaObject('Attachment', {
  fields: (t) => ({
    id: t.exposeID('id'),
    filename: t.exposeString('filename'),
    contentType: t.exposeString('contentType'),
    size: t.exposeInt('size'),
    inline: t.exposeBoolean('inline'),
    contentId: t.exposeString('contentId', { nullable: true }),
  }),
});

export const ArticleType = builder.prismaObject('Article', {
  fields: (t) => ({
    id: t.exposeID('id'),
    ticketId: t.exposeID('ticketId', { description: 'The ticket it was written in (differs from the parent after a merge)' }),
    channel: t.expose('channel', { type: TicketChannelEnum }),
    senderType: t.expose('senderType', { type: SenderTypeEnum }),
    visibleToCustomer: t.exposeBoolean('visibleToCustomer'),
    subject: t.exposeString('subject', { nullable: true }),
    bodyText: t.exposeString('bodyText'),
    bodyHtml: t.exposeString('bodyHtml', { nullable: true, description: 'Sanitized HTML, safe to display' }),
    fromAddress: t.exposeString('fromAddress', { nullable: true }),
    toAddresses: t.exposeStringList('toAddresses'),
    ccAddresses: t.exposeStringList('ccAddresses'),
    messageId: t.exposeString('messageId', { nullable: true, authScopes: { agent: true } }),
    author: t.relation('author', { nullable: true }),
    customerAuthor: t.relation('customerAuthor', { nullable: true }),
    timeMinutes: t.exposeInt('timeMinutes', { authScopes: { agent: true } }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    editedAt: t.expose('editedAt', { type: 'DateTime', nullable: true }),
    attachments: t.relation('attachments'),
  }),
});

builder.prismaObjectField(TicketType, 'articles', (t) => t.prismaConnection({
  type: ArticleType,
  cursor: 'id',
  maxSize: 500,
  defaultSize: 200,
  description: 'The thread, oldest first, including articles of tickets merged into this one. Customers see only what is visible to them.',
  resolve: async (query, ticket, _args, ctx) => {
    const db = tenantClient(ctx);
    const merged = await db.ticket.findMany({ where: { mergedIntoId: ticket.id }, select: { id: true } });
    return db.article.findMany({
      ...query,
      where: {
        ticketId: { in: [ticket.id, ...merged.map((m) => m.id)] },
        deletedAt: null,
        ...(ctx.viewer.kind === 'customer' ? { visibleToCustomer: true } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  },
}));

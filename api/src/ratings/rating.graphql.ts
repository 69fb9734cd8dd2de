import type { RatingModel } from '@parley/db';
import { builder } from '../graphql/builder.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { useCaseContext } from '../graphql/use-case-context.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';
import { rateByToken, rateReply, rateTicket, ratingLinkStatus, ratingScaleOf } from './rate.ts';
import { RatingScaleEnum } from '../billing/billing.graphql.ts';
import { listRatings } from './list-ratings.ts';
import { myRatings } from './my-ratings.ts';

const RatingTargetEnum = builder.enumType('RatingTarget', { values: ['REPLY', 'TICKET'] as const });

export const RatingType = builder.objectRef<RatingModel>('Rating').implement({
  description: 'A customer\'s rating of an agent reply or of a solved ticket: 1..5 (good = 5, bad = 1)',
  fields: (t) => ({
    id: t.exposeID('id'),
    target: t.field({ type: RatingTargetEnum, resolve: (r) => r.target }),
    score: t.exposeInt('score'),
    comment: t.exposeString('comment', { nullable: true }),
    via: t.exposeString('via', { description: 'MAIL_LINK or PORTAL' }),
    ticketId: t.exposeID('ticketId'),
    articleId: t.exposeID('articleId', { nullable: true }),
    agentId: t.exposeID('agentUserId', { nullable: true, description: 'The agent rated (author of the reply, owner of the ticket)' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const RatePayload = builder.objectRef<{ rating: RatingModel; reopened: boolean }>('RatePayload').implement({
  fields: (t) => ({
    rating: t.field({ type: RatingType, resolve: (p) => p.rating }),
    reopened: t.exposeBoolean('reopened', { description: 'A bad rating reopened the ticket' }),
  }),
});

const rateErrors = [NotFoundError, ForbiddenError, ValidationError, ConflictError];

builder.mutationField('rateReply', (t) => t.field({
  type: RatePayload, authScopes: { customer: true }, errors: { types: rateErrors, dataField: { name: 'result' } },
  description: 'Rate an agent reply on one of your tickets (rating again changes it)',
  args: { articleId: t.arg.id({ required: true }), score: t.arg.int({ required: true }), comment: t.arg.string() },
  resolve: (_r, a, ctx) => rateReply(useCaseContext(ctx), fromGlobalOrRawId(String(a.articleId)), { score: a.score, comment: a.comment }),
}));

builder.mutationField('rateTicket', (t) => t.field({
  type: RatePayload, authScopes: { customer: true }, errors: { types: rateErrors, dataField: { name: 'result' } },
  description: 'Rate a solved ticket as a whole',
  args: { ticketId: t.arg.id({ required: true }), score: t.arg.int({ required: true }), comment: t.arg.string() },
  resolve: (_r, a, ctx) => rateTicket(useCaseContext(ctx), fromGlobalOrRawId(String(a.ticketId)), { score: a.score, comment: a.comment }),
}));

builder.mutationField('rateByToken', (t) => t.field({
  type: RatePayload, errors: { types: rateErrors, dataField: { name: 'result' } },
  description: 'Public, no login: rate a reply through the single-use link of its mail',
  args: { token: t.arg.string({ required: true }), score: t.arg.int({ required: true }), comment: t.arg.string() },
  resolve: (_r, a, ctx) => rateByToken(ctx.services, a.token, { score: a.score, comment: a.comment }),
}));

const RatingFilterInput = builder.inputType('RatingFilter', {
  fields: (t) => ({
    agentId: t.id(), ticketId: t.id(), target: t.field({ type: RatingTargetEnum }),
    from: t.field({ type: 'DateTime' }), to: t.field({ type: 'DateTime' }),
  }),
});

builder.queryField('ratings', (t) => t.field({
  type: [RatingType], authScopes: { tenantMember: true },
  description: 'Ratings, newest first: admins and API keys see all, agents their own, customers those they gave',
  args: { filter: t.arg({ type: RatingFilterInput }), first: t.arg.int({ defaultValue: 50 }) },
  resolve: (_r, { filter, first }, ctx) => listRatings(ctx.services.db, useCaseContext(ctx).viewer, {
    agentId: filter?.agentId ? fromGlobalOrRawId(String(filter.agentId)) : null,
    ticketId: filter?.ticketId ? fromGlobalOrRawId(String(filter.ticketId)) : null,
    target: filter?.target ?? null, from: filter?.from ?? null, to: filter?.to ?? null, first,
  }),
}));

const RatingLinkStatusEnum = builder.enumType('RatingLinkStatus', { values: ['VALID', 'USED', 'EXPIRED', 'INVALID'] as const });
const RatingLinkInfo = builder.objectRef<Awaited<ReturnType<typeof ratingLinkStatus>>>('RatingLinkInfo').implement({
  fields: (t) => ({
    status: t.field({ type: RatingLinkStatusEnum, resolve: (i) => i.status }),
    scale: t.field({ type: RatingScaleEnum, nullable: true, description: 'null for an invalid link', resolve: (i) => i.scale }),
  }),
});

builder.queryField('ratingLink', (t) => t.field({
  type: RatingLinkInfo,
  description: 'Public, no login: whether a rating link from a reply mail still works (does not spend it) and the scale',
  args: { token: t.arg.string({ required: true }) },
  resolve: (_r, a, ctx) => ratingLinkStatus(ctx.services, a.token),
}));

builder.queryField('ratingScale', (t) => t.field({
  type: RatingScaleEnum, authScopes: { tenantMember: true },
  description: 'The help desk\'s rating scale: FIVE_STARS (1..5) or GOOD_BAD (5 = good, 1 = bad)',
  resolve: (_r, _a, ctx) => ratingScaleOf(ctx.services.db, useCaseContext(ctx).viewer.tenantId),
}));

const MyRatingsType = builder.objectRef<Awaited<ReturnType<typeof myRatings>>>('MyRatings').implement({
  description: 'The signed-in agent\'s ratings (of their replies and owned tickets)',
  fields: (t) => ({
    count: t.exposeInt('count'),
    average: t.exposeFloat('average', { nullable: true }),
    distribution: t.exposeIntList('distribution', { description: 'Number of ratings with score 1, 2, 3, 4, 5' }),
    recentComments: t.field({ type: [RatingType], resolve: (m) => m.recentComments, description: 'Newest ratings with a comment' }),
  }),
});

builder.queryField('myRatings', (t) => t.field({
  type: MyRatingsType, authScopes: { agent: true },
  description: 'Average, distribution and recent comments of the signed-in agent\'s ratings over [from, to) (default: all time)',
  args: { from: t.arg({ type: 'DateTime' }), to: t.arg({ type: 'DateTime' }), comments: t.arg.int({ defaultValue: 10 }) },
  resolve: (_r, a, ctx) => myRatings(ctx.services.db, useCaseContext(ctx).viewer, { from: a.from, to: a.to }, a.comments ?? 10),
}));

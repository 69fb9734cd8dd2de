import { builder } from '../graphql/builder.ts';
import { useCaseContext } from '../graphql/use-case-context.ts';
import {
  GROUP_BY, incidentStats, ratingStats, requireAnalyticsReader, ticketStats,
  type Compliance, type DurationStats, type IncidentStats, type RatingStats, type TicketStatsRow,
} from './analytics-queries.ts';
import { INTERVALS, ticketSeries, type SeriesPoint } from './ticket-series.ts';
import { ValidationError } from '../errors/app-error.ts';
import { fromGlobalOrRawId } from '../graphql/ids.ts';

const GroupByEnum = builder.enumType('AnalyticsGroupBy', { values: GROUP_BY });

const DurationType = builder.objectRef<DurationStats>('DurationStats').implement({
  description: 'Minutes: count, median and p90 (from rollup histograms, approximate to a bucket), average',
  fields: (t) => ({
    count: t.exposeInt('count'),
    median: t.exposeFloat('median', { nullable: true }),
    p90: t.exposeFloat('p90', { nullable: true }),
    average: t.exposeFloat('average', { nullable: true }),
  }),
});
const ComplianceType = builder.objectRef<Compliance>('SlaCompliance').implement({
  description: 'Tickets with a decided SLA target, those meeting it, and the share in percent',
  fields: (t) => ({ count: t.exposeInt('count'), met: t.exposeInt('met'), percent: t.exposeFloat('percent', { nullable: true }) }),
});
const TicketStatsType = builder.objectRef<TicketStatsRow>('TicketStats').implement({
  fields: (t) => ({
    key: t.exposeID('key', { nullable: true, description: 'Queue, agent (owner), type or company id; null: none (or groupBy NONE)' }),
    label: t.exposeString('label', { nullable: true, description: 'Name of the queue, agent, type or company' }),
    created: t.exposeInt('created'),
    solved: t.exposeInt('solved'),
    backlog: t.exposeInt('backlog', { description: 'Open at the end of the range' }),
    firstResponse: t.field({ type: DurationType, resolve: (r) => r.firstResponse, description: 'Wall-clock, of tickets created in the range' }),
    resolution: t.field({ type: DurationType, resolve: (r) => r.resolution, description: 'Wall-clock, of tickets solved in the range' }),
    firstResponseBusiness: t.field({ type: DurationType, resolve: (r) => r.firstResponseBusiness, description: 'Business minutes (SLA calendar, else the default calendar), of tickets created in the range' }),
    resolutionBusiness: t.field({ type: DurationType, resolve: (r) => r.resolutionBusiness, description: 'Business minutes, of tickets solved in the range' }),
    slaFirstResponse: t.field({ type: ComplianceType, resolve: (r) => r.slaFirstResponse, description: 'First-response target met, of tickets created in the range' }),
    slaSolution: t.field({ type: ComplianceType, resolve: (r) => r.slaSolution, description: 'Solution target met, of tickets solved in the range' }),
    timeMinutes: t.exposeInt('timeMinutes', { description: 'Time accounted on tickets created in the range' }),
    agentReplies: t.exposeInt('agentReplies'),
  }),
});
const IntervalEnum = builder.enumType('AnalyticsInterval', { values: INTERVALS });
const SeriesPointType = builder.objectRef<SeriesPoint>('TicketSeriesPoint').implement({
  description: 'Ticket figures of one day, week (from Monday) or month',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: 'First UTC day of the bucket (the range start for a bucket cut by it)' }),
    created: t.exposeInt('created'),
    solved: t.exposeInt('solved'),
    backlog: t.exposeInt('backlog', { description: 'Open at the end of the bucket' }),
    firstResponseBusiness: t.field({ type: DurationType, resolve: (p) => p.firstResponseBusiness, description: 'Business minutes, of tickets created in the bucket' }),
    resolutionBusiness: t.field({ type: DurationType, resolve: (p) => p.resolutionBusiness, description: 'Business minutes, of tickets solved in the bucket' }),
    slaFirstResponse: t.field({ type: ComplianceType, resolve: (p) => p.slaFirstResponse }),
    slaSolution: t.field({ type: ComplianceType, resolve: (p) => p.slaSolution }),
  }),
});
const AgentRatingType = builder.objectRef<RatingStats['perAgent'][number]>('AgentRatingStats').implement({
  fields: (t) => ({ agentId: t.exposeID('agentId'), name: t.exposeString('name', { nullable: true }), count: t.exposeInt('count'), average: t.exposeFloat('average') }),
});
const RatingStatsType = builder.objectRef<RatingStats>('RatingStats').implement({
  fields: (t) => ({
    count: t.exposeInt('count'),
    average: t.exposeFloat('average', { nullable: true }),
    distribution: t.exposeIntList('distribution', { description: 'Number of ratings with score 1, 2, 3, 4, 5' }),
    perAgent: t.field({ type: [AgentRatingType], resolve: (r) => r.perAgent }),
  }),
});
const RevenueType = builder.objectRef<IncidentStats['revenue'][number]>('Revenue').implement({
  fields: (t) => ({ currency: t.exposeString('currency'), amountCents: t.exposeInt('amountCents') }),
});
const IncidentStatsType = builder.objectRef<IncidentStats>('IncidentStats').implement({
  fields: (t) => ({
    sold: t.exposeInt('sold'), granted: t.exposeInt('granted'), consumed: t.exposeInt('consumed'),
    refunded: t.exposeInt('refunded'), expired: t.exposeInt('expired'), perRequestCharges: t.exposeInt('perRequestCharges'),
    revenue: t.field({ type: [RevenueType], resolve: (s) => s.revenue }),
  }),
});

interface AnalyticsArgs { tenantId: string; from: Date; to: Date }
const AnalyticsType = builder.objectRef<AnalyticsArgs>('Analytics').implement({
  description: 'Figures over [from, to), from the rollups the worker keeps current',
  fields: (t) => ({
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    tickets: t.field({
      type: [TicketStatsType], args: { groupBy: t.arg({ type: GroupByEnum, defaultValue: 'NONE' }) },
      description: 'Created, solved, backlog, first response and resolution (median, p90), time accounted; by queue (department), agent, type or company',
      resolve: (a, { groupBy }, ctx) => ticketStats(ctx.services.db, a.tenantId, a, groupBy ?? 'NONE'),
    }),
    series: t.field({
      type: [SeriesPointType],
      description: 'Created, solved and backlog per day, week or month of the range (DAY: at most 366 days); for the tenant, or one queue, agent or type (groupBy + key)',
      args: {
        interval: t.arg({ type: IntervalEnum, defaultValue: 'WEEK' }),
        groupBy: t.arg({ type: GroupByEnum, defaultValue: 'NONE', description: 'NONE, QUEUE, AGENT or TYPE' }),
        key: t.arg.id({ description: 'The queue, agent or type (with groupBy)' }),
      },
      resolve: (a, { interval, groupBy, key }, ctx) => {
        const g = groupBy ?? 'NONE';
        if (g === 'COMPANY') throw new ValidationError('Series are per tenant, queue, agent or type', 'groupBy');
        if ((g === 'NONE') !== (key == null)) throw new ValidationError('key goes with groupBy QUEUE, AGENT or TYPE', 'key');
        const filter = g === 'NONE' ? null : { groupBy: g, key: fromGlobalOrRawId(String(key)) };
        return ticketSeries(ctx.services.db, a.tenantId, a, interval ?? 'WEEK', filter);
      },
    }),
    ratings: t.field({ type: RatingStatsType, resolve: (a, _x, ctx) => ratingStats(ctx.services.db, a.tenantId, a) }),
    incidents: t.field({ type: IncidentStatsType, resolve: (a, _x, ctx) => incidentStats(ctx.services.db, a.tenantId, a) }),
  }),
});

builder.queryField('analytics', (t) => t.field({
  type: AnalyticsType, authScopes: { agent: true },
  description: 'Help-desk analytics (administrators and partner API keys)',
  args: { from: t.arg({ type: 'DateTime', required: true }), to: t.arg({ type: 'DateTime', required: true }) },
  resolve: (_r, { from, to }, ctx) => {
    const viewer = useCaseContext(ctx).viewer;
    requireAnalyticsReader(viewer);
    return { tenantId: viewer.tenantId, from, to };
  },
}));

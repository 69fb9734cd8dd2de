import type { Db } from '@parley/db';
import { incidentStats, ratingStats, ticketStats, type GroupBy, type Range } from './analytics-queries.ts';
import { ticketSeries, type Interval, type SeriesFilter } from './ticket-series.ts';

export const CSV_KINDS = ['tickets', 'series', 'ratings', 'incidents'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export interface CsvTable { header: string[]; rows: unknown[][] }

/** The figures of one analytics section as a table (header + rows), for the CSV export. */
export async function csvTable(db: Db, tenantId: string, kind: CsvKind, range: Range, groupBy: GroupBy,
  series: { interval: Interval; filter: SeriesFilter | null } = { interval: 'WEEK', filter: null }): Promise<CsvTable> {
  if (kind === 'series') {
    const points = await ticketSeries(db, tenantId, range, series.interval, series.filter);
    return {
      header: ['start', 'created', 'solved', 'backlog', 'first_response_business_median_min', 'first_response_business_p90_min',
        'resolution_business_median_min', 'resolution_business_p90_min', 'sla_first_response_percent', 'sla_solution_percent'],
      rows: points.map((p) => [
        p.start.toISOString().slice(0, 10), p.created, p.solved, p.backlog, p.firstResponseBusiness.median, p.firstResponseBusiness.p90,
        p.resolutionBusiness.median, p.resolutionBusiness.p90, p.slaFirstResponse.percent, p.slaSolution.percent,
      ]),
    };
  }
  if (kind === 'ratings') {
    const s = await ratingStats(db, tenantId, range);
    return {
      header: ['agent_id', 'agent', 'count', 'average', 'score_1', 'score_2', 'score_3', 'score_4', 'score_5'],
      rows: [
        ['', 'all', s.count, s.average, ...s.distribution],
        ...s.perAgent.map((p) => [p.agentId, p.name, p.count, Math.round(p.average * 100) / 100, '', '', '', '', '']),
      ],
    };
  }
  if (kind === 'incidents') {
    const s = await incidentStats(db, tenantId, range);
    return {
      header: ['figure', 'value', 'currency'],
      rows: [
        ['sold', s.sold, ''], ['granted', s.granted, ''], ['consumed', s.consumed, ''], ['refunded', s.refunded, ''],
        ['expired', s.expired, ''], ['per_request_charges', s.perRequestCharges, ''],
        ...s.revenue.map((r) => ['revenue_cents', r.amountCents, r.currency]),
      ],
    };
  }
  const rows = await ticketStats(db, tenantId, range, groupBy);
  return {
    header: ['key', 'created', 'solved', 'backlog', 'first_response_count', 'first_response_median_min', 'first_response_p90_min',
      'resolution_count', 'resolution_median_min', 'resolution_p90_min', 'time_minutes', 'agent_replies', 'label',
      'first_response_business_median_min', 'first_response_business_p90_min', 'resolution_business_median_min', 'resolution_business_p90_min',
      'sla_first_response_count', 'sla_first_response_met', 'sla_first_response_percent', 'sla_solution_count', 'sla_solution_met', 'sla_solution_percent'],
    rows: rows.map((r) => [
      r.key, r.created, r.solved, r.backlog, r.firstResponse.count, r.firstResponse.median, r.firstResponse.p90,
      r.resolution.count, r.resolution.median, r.resolution.p90, r.timeMinutes, r.agentReplies, r.label,
      r.firstResponseBusiness.median, r.firstResponseBusiness.p90, r.resolutionBusiness.median, r.resolutionBusiness.p90,
      r.slaFirstResponse.count, r.slaFirstResponse.met, r.slaFirstResponse.percent, r.slaSolution.count, r.slaSolution.met, r.slaSolution.percent,
    ]),
  };
}

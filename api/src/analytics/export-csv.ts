import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate } from '../auth/authenticate.ts';
import { AppError, ErrorCode } from '../errors/app-error.ts';
import type { Services } from '../services.ts';
import { GROUP_BY, requireAnalyticsReader, type GroupBy } from './analytics-queries.ts';
import { CSV_KINDS, csvTable, type CsvKind } from './csv-tables.ts';
import { INTERVALS, type Interval, type SeriesFilter } from './ticket-series.ts';

const csvCell = (v: unknown) => {
  const s = v === null || v === undefined ? '' : String(v);
  // quote when needed; a leading = + - @ would be a formula in a spreadsheet
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/**
 * GET /analytics/<tickets|series|ratings|incidents>.csv?from=…&to=…[&groupBy=QUEUE] — analytics figures as CSV, for the
 * same readers as the GraphQL field (Authorization: Bearer <admin session or API key>). series.csv
 * takes `interval` (DAY, WEEK, MONTH; default WEEK) and, with groupBy QUEUE/AGENT/TYPE, a `key`.
 */
export async function analyticsCsvRoute(services: Services, req: IncomingMessage, res: ServerResponse) {
  const fail = (status: number, message: string) => {
    if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: message }));
  };
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const headers = new Headers(Object.entries(req.headers).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : [])));
    const auth = headers.get('authorization');
    const viewer = await authenticate(services, auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : null);
    if (viewer.kind !== 'agent') return fail(viewer.kind === 'anonymous' ? 401 : 403, 'Sign in as an administrator or use a partner API key');
    requireAnalyticsReader(viewer);
    const from = new Date(url.searchParams.get('from') ?? '');
    const to = new Date(url.searchParams.get('to') ?? '');
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return fail(400, 'from and to must be ISO dates');
    const groupBy = (url.searchParams.get('groupBy') ?? 'NONE').toUpperCase() as GroupBy;
    if (!GROUP_BY.includes(groupBy)) return fail(400, `groupBy must be one of ${GROUP_BY.join(', ')}`);
    const kind = /^\/analytics\/([a-z]+)\.csv/.exec(url.pathname)?.[1] as CsvKind | undefined;
    if (!kind || !CSV_KINDS.includes(kind)) return fail(404, `not found; exports: ${CSV_KINDS.map((k) => `${k}.csv`).join(', ')}`);
    const interval = (url.searchParams.get('interval') ?? 'WEEK').toUpperCase() as Interval;
    if (!INTERVALS.includes(interval)) return fail(400, `interval must be one of ${INTERVALS.join(', ')}`);
    const key = url.searchParams.get('key');
    let filter: SeriesFilter | null = null;
    if (kind === 'series' && key) {
      if (groupBy === 'NONE' || groupBy === 'COMPANY') return fail(400, 'key goes with groupBy QUEUE, AGENT or TYPE');
      filter = { groupBy, key };
    }
    const table = await csvTable(services.db, viewer.tenantId, kind, { from, to }, groupBy, { interval, filter });
    const lines = [table.header.join(',')].concat(table.rows.map((r) => r.map(csvCell).join(',')));
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${kind}-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    }).end(`${lines.join('\r\n')}\r\n`);
  } catch (err) {
    if (err instanceof AppError) {
      const status = err.code === ErrorCode.UNAUTHENTICATED ? 401 : err.code === ErrorCode.FORBIDDEN || err.code === ErrorCode.TENANT_SUSPENDED ? 403 : 400;
      return fail(status, err.message);
    }
    services.log.error({ err: (err as Error).message }, 'analytics export failed');
    return fail(500, 'export failed');
  }
}

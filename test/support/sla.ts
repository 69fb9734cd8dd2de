import { withTenant } from '@parley/db';
import { createTicket } from '@parley/api/tickets/create-ticket.ts';
import type { AgentViewer } from '@parley/api/auth/viewer.ts';
import type { TestApi } from './api.ts';
import type { TenantFixture } from './factories.ts';

const ALL_DAY = [{ start: '00:00', end: '24:00' }];
export const TWENTY_FOUR_SEVEN = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, ALL_DAY]));

async function ok(api: TestApi, token: string, query: string, variables: Record<string, unknown>, field: string) {
  const res = await api.gql(query, variables, token);
  const r = res.data?.[field];
  if (!r || !r.__typename?.endsWith('Success')) throw new Error(`${field} failed: ${JSON.stringify(res.errors ?? r)}`);
  return r;
}

/** A 24/7 calendar and an SLA assigned (by admin, through the API) to `criteria` (default: the Support queue). */
export async function setUpSla(api: TestApi, f: TenantFixture, sla: Record<string, unknown>, criteria?: Record<string, unknown>) {
  const cal = await ok(api, f.admin.token, `mutation($i: SaveCalendarInput!) { saveCalendar(input: $i) { __typename ... on SaveCalendarSuccess { calendar { id } } ... on Error { message } } }`,
    { i: { name: `24/7 ${Math.random()}`, timeZone: 'UTC', week: TWENTY_FOUR_SEVEN } }, 'saveCalendar');
  const created = await ok(api, f.admin.token, `mutation($i: CreateSlaInput!) { createSla(input: $i) { __typename ... on CreateSlaSuccess { sla { id } } ... on Error { message } } }`,
    { i: { name: `SLA ${Math.random()}`, calendarId: cal.calendar.id, ...sla } }, 'createSla');
  await ok(api, f.admin.token, `mutation($i: AssignSlaInput!) { assignSla(input: $i) { __typename ... on AssignSlaSuccess { assignment { id } } ... on Error { message } } }`,
    { i: { slaId: created.sla.id, ...(criteria ?? { queueId: f.queue('Support').id }) } }, 'assignSla');
  return created.sla.id as string;
}

export function agentViewer(f: TenantFixture, who: 'agent' | 'agent2' = 'agent'): AgentViewer {
  return { kind: 'agent', tenantId: f.tenant.id, userId: f[who].id, isAdmin: false, apiKey: null, sessionId: null };
}

/** Opens a ticket through the use case as if it had been created `ageMs` ago (events published). */
export async function openAgedTicket(api: TestApi, f: TenantFixture, ageMs: number, input: Record<string, unknown> = {}) {
  const createdAt = new Date(Date.now() - ageMs);
  return createTicket({ db: api.services.db, viewer: agentViewer(f), events: api.services.events, now: () => createdAt },
    { queueId: f.queue('Support').id, title: 'SLA test', body: 'x', customerEmail: f.customer.email, ...input });
}

export const ticketRow = (api: TestApi, f: TenantFixture, id: string) =>
  withTenant(api.services.db, f.tenant.id, (tx) => tx.ticket.findUniqueOrThrow({ where: { id }, include: { priority: true } }));

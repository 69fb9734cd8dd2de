import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { countOpenTickets } from '@parley/api/events/queue-counters.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket } from '../support/factories.ts';

let api: TestApi;
beforeAll(async () => { api = await startTestApi(); });
afterAll(() => api.close());

it('counts breached tickets as escalated even after their last escalation fired, never pending ones', async () => {
  const f = await createTenantFixture(api);
  const queueId = f.queue('Support').id;
  const [breached, warned, pending, onTime] = await Promise.all(['breached', 'warned', 'pending', 'on time']
    .map((title) => openTicket(api, f.agent.token, { queueId, title, body: 'x' })));
  const past = new Date(Date.now() - 60_000);
  const future = new Date(Date.now() + 3_600_000);
  await withTenant(api.services.db, f.tenant.id, async (tx) => {
    const pendingState = await tx.ticketState.findFirstOrThrow({ where: { type: 'PENDING_REMINDER' } });
    await tx.ticket.update({ where: { tenantId_number: { tenantId: f.tenant.id, number: breached.number } }, data: { solutionDueAt: past, escalationAt: null } });
    await tx.ticket.update({ where: { tenantId_number: { tenantId: f.tenant.id, number: warned.number } }, data: { firstResponseDueAt: past, escalationAt: future } });
    await tx.ticket.update({ where: { tenantId_number: { tenantId: f.tenant.id, number: pending.number } }, data: { solutionDueAt: past, escalationAt: null, stateId: pendingState.id } });
    await tx.ticket.update({ where: { tenantId_number: { tenantId: f.tenant.id, number: onTime.number } }, data: { solutionDueAt: future, escalationAt: future } });
  });
  const [counter] = (await countOpenTickets(api.services.db, f.tenant.id, 'all')).filter((c) => c.queueId === queueId);
  expect(counter.escalated).toBe(2);
  expect(counter.pending).toBe(1);
  const other = await createTenantFixture(api);
  expect((await countOpenTickets(api.services.db, other.tenant.id, 'all')).reduce((n, c) => n + c.escalated, 0)).toBe(0);
});

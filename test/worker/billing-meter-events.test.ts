// Pay-per-request: a new ticket in a queue that requires an incident, for a customer on a
// PER_REQUEST plan, is reported to Stripe (the tenant's connected account) as one meter event,
// by the worker job billing.meter-event.v1 after the ticket event; never twice, whatever the
// retries; never for another tenant's account.
import { randomBytes } from 'node:crypto';
import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { reportRequestMeterEvent, meterIdentifier } from '@parley/api/billing/meter-events.ts';
import { fromGlobalOrRawId } from '@parley/api/graphql/ids.ts';
import { closeQueues, enqueue } from '@parley/worker/queues.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { ticketEventJob } from '@parley/worker/jobs/ticket-event/definition.ts';
import { billingMeterEventJob } from '@parley/worker/jobs/billing-meter-event/definition.ts';
import { startFakeStripe, type FakeStripe } from '../support/fake-stripe/index.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { waitUntil } from '../support/mail.ts';

const prefix = `t${randomBytes(4).toString('hex')}`;
const EVENT = 'parley_support_request';
let fake: FakeStripe;
let api: TestApi;
let running: RunningWorkers;

const CONNECT = `mutation { connectStripeAccount { __typename ... on ConnectStripeAccountSuccess { onboarding { id } } ... on Error { code message } } }`;
const SAVE_PLAN = `mutation($i: SupportPlanInput!) { saveSupportPlan(input: $i) { __typename ... on SaveSupportPlanSuccess { supportPlan { id } } ... on Error { code message } } }`;
const FLAG_QUEUE = `mutation($q: ID!) { setQueueRequiresIncident(queueId: $q, requiresIncident: true) { __typename } }`;

beforeAll(async () => {
  fake = await startFakeStripe();
  api = await startTestApi({
    QUEUE_PREFIX: prefix, EVENT_FAN_OUT: 'true',
    STRIPE_SECRET_KEY: fake.secretKey, STRIPE_API_HOST: fake.host, STRIPE_API_PORT: String(fake.port), STRIPE_API_PROTOCOL: 'http',
  });
  running = await runWorkers(api.services, [ticketEventJob, billingMeterEventJob], { prefix });
});
afterAll(async () => {
  await running?.close();
  await closeQueues();
  await api?.close();
  await fake?.close();
});

/** A tenant with a connected account, a default PER_REQUEST plan (2.50 per request) and a Billing queue that requires an incident. */
async function perRequestTenant() {
  const f = await createTenantFixture(api);
  const c = await api.gql(CONNECT, {}, f.admin.token);
  expect(c.data.connectStripeAccount.__typename).toBe('ConnectStripeAccountSuccess');
  const accountId = c.data.connectStripeAccount.onboarding.id as string;
  const plan = await api.gql(SAVE_PLAN, { i: { name: 'Pay as you go', mode: 'PER_REQUEST', perRequestCents: 250, isDefault: true } }, f.admin.token);
  expect(plan.data.saveSupportPlan.__typename).toBe('SaveSupportPlanSuccess');
  expect((await api.gql(FLAG_QUEUE, { q: f.queue('Billing').id }, f.admin.token)).data.setQueueRequiresIncident.__typename).toBe('SetQueueRequiresIncidentSuccess');
  return { f, accountId };
}

/** A ticket opened through the API, with its raw UUID. */
async function ticketIn(f: TenantFixture, queue: string, title: string) {
  const t = await openTicket(api, f.customer.token, { queueId: f.queue(queue).id, title, body: 'please help' });
  return { ...t, id: fromGlobalOrRawId(t.id) };
}

const reports = (f: TenantFixture) => withTenant(api.services.db, f.tenant.id, (tx) => tx.meterEventReport.findMany());
const eventsFor = (accountId: string, ticketId: string) => fake.meterEvents(accountId, { eventName: EVENT }).filter((e) => e.identifier === meterIdentifier(ticketId));

describe('pay-per-request meter events', () => {
  let a: Awaited<ReturnType<typeof perRequestTenant>>;
  let b: Awaited<ReturnType<typeof perRequestTenant>>;
  beforeAll(async () => {
    [a, b] = await Promise.all([perRequestTenant(), perRequestTenant()]);
  });

  it('reports one meter event for the customer\'s new ticket, on the tenant\'s connected account, after the ticket exists', async () => {
    const t = await ticketIn(a.f, 'Billing', 'metered');
    const [report] = await waitUntil(async () => { const r = await reports(a.f); return r.some((x) => x.ticketId === t.id) && r; }, 30_000, 'meter report');
    expect(report).toMatchObject({ ticketId: t.id, customerUserId: a.f.customer.id, identifier: `request:${t.id}`, eventName: EVENT, stripeAccountId: a.accountId });
    const events = eventsFor(a.accountId, t.id);
    expect(events).toHaveLength(1);
    const account = await withTenant(api.services.db, a.f.tenant.id, (tx) => tx.incidentAccount.findFirstOrThrow({ where: { customerUserId: a.f.customer.id } }));
    expect(account.stripeCustomerId).toMatch(/^cus_/);
    expect(events[0]!.payload).toEqual({ stripe_customer_id: account.stripeCustomerId, value: '1' });
    // The Stripe customer and the meter live on the tenant's connected account, not the platform.
    const customer = await fake.client({ stripeAccount: a.accountId }).customers.retrieve(account.stripeCustomerId!);
    expect(customer).toMatchObject({ email: a.f.customer.email, metadata: { customerUserId: a.f.customer.id } });
    expect((await fake.client({ stripeAccount: a.accountId }).billing.meters.list()).data.map((m) => m.event_name)).toEqual([EVENT]);
    expect(fake.meterEvents(null)).toHaveLength(0);
    // Tenant B's account saw nothing of tenant A's ticket.
    expect(fake.meterEvents(b.accountId)).toHaveLength(0);
    expect(await reports(b.f)).toHaveLength(0);
  });

  it('the job run twice (and again after a crash before its record) still leaves exactly one meter event', async () => {
    const t = await ticketIn(a.f, 'Billing', 'twice');
    await waitUntil(async () => (await reports(a.f)).some((x) => x.ticketId === t.id), 30_000, 'first report');
    // A duplicate job with another id (e.g. re-enqueued by hand) through the real queue.
    const events = new QueueEvents('billing', { connection: new Redis(api.services.config.REDIS_URL, { maxRetriesPerRequest: null }) as never, prefix });
    await events.waitUntilReady();
    const job = await enqueue(api.services.config.REDIS_URL, billingMeterEventJob, { tenantId: a.f.tenant.id, ticketId: t.id }, { prefix, jobId: `again-${t.id}` });
    expect(await job.waitUntilFinished(events, 30_000)).toBe('already_reported');
    await events.close();
    expect(await reportRequestMeterEvent(api.services, a.f.tenant.id, t.id)).toBe('already_reported');
    // The process died after Stripe accepted the event but before the record was written.
    await withTenant(api.services.db, a.f.tenant.id, (tx) => tx.meterEventReport.deleteMany({ where: { ticketId: t.id } }));
    expect(await reportRequestMeterEvent(api.services, a.f.tenant.id, t.id)).toBe('reported');
    expect(eventsFor(a.accountId, t.id)).toHaveLength(1);
    expect((await reports(a.f)).filter((r) => r.ticketId === t.id)).toHaveLength(1);
    // Two runs at once: still one event, one record.
    const u = await ticketIn(a.f, 'Billing', 'race');
    await Promise.all([reportRequestMeterEvent(api.services, a.f.tenant.id, u.id), reportRequestMeterEvent(api.services, a.f.tenant.id, u.id)]);
    await waitUntil(async () => (await reports(a.f)).some((x) => x.ticketId === u.id), 30_000, 'race report');
    expect(eventsFor(a.accountId, u.id)).toHaveLength(1);
  });

  it('reports nothing for a queue that does not require an incident, nor for another plan', async () => {
    const free = await ticketIn(b.f, 'Support', 'free queue');
    expect(await reportRequestMeterEvent(api.services, b.f.tenant.id, free.id)).toBe('no_charge');
    const metered = await ticketIn(b.f, 'Billing', 'b metered');
    await waitUntil(async () => (await reports(b.f)).some((x) => x.ticketId === metered.id), 30_000, 'tenant B report');
    expect(fake.meterEvents(b.accountId).map((e) => e.identifier)).toEqual([meterIdentifier(metered.id)]);
    // Tenant A's job cannot report tenant B's ticket (RLS: it does not exist for A).
    expect(await reportRequestMeterEvent(api.services, a.f.tenant.id, metered.id)).toBe('no_charge');
    expect(fake.meterEvents(a.accountId).some((e) => e.identifier === meterIdentifier(metered.id))).toBe(false);
  });
});

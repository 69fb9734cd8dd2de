// Billing Meters, meter events (usage-based billing) and Billing Portal sessions.
import type { Ctx, Fake } from '../fake.ts';
import { invalidRequest } from '../errors.ts';
import type { Route } from '../router.ts';
import { int, obj, oneOf, rejectUnknown, str } from '../params.ts';
import type { StripeObject } from '../store.ts';
import { clone, randomId } from '../store.ts';
import { find, respond, respondList } from './common.ts';

/** Aggregates a meter's events for one customer over [start, end), by the meter's formula. */
export function meterUsage(fake: Fake, account: string | null, meter: StripeObject, customer: string, start: number, end: number): number {
  const customerKey = (meter.customer_mapping as { event_payload_key: string }).event_payload_key;
  const valueKey = (meter.value_settings as { event_payload_key: string }).event_payload_key;
  const formula = (meter.default_aggregation as { formula: string }).formula;
  const events = fake.store
    .all(account, 'billing.meter_event')
    .filter((e) => e.event_name === meter.event_name && (e.payload as Record<string, string>)[customerKey] === customer && (e.timestamp as number) >= start && (e.timestamp as number) < end)
    .reverse();
  if (formula === 'count') return events.length;
  const values = events.map((e) => Number((e.payload as Record<string, string>)[valueKey])).filter((v) => Number.isFinite(v));
  if (formula === 'last') return values.length > 0 ? values[values.length - 1] : 0;
  return values.reduce((a, b) => a + b, 0);
}

export const billingRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/billing/meters',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['display_name', 'event_name', 'default_aggregation', 'customer_mapping', 'value_settings', 'event_time_window']);
      const displayName = str(ctx.params, 'display_name', { required: true });
      const eventName = str(ctx.params, 'event_name', { required: true }) as string;
      const aggregation = obj(ctx.params, 'default_aggregation', { required: true }) as Record<string, unknown>;
      const formula = oneOf(aggregation, 'formula', ['count', 'last', 'sum'], { required: true, param: 'default_aggregation[formula]' });
      const mapping = obj(ctx.params, 'customer_mapping');
      const valueSettings = obj(ctx.params, 'value_settings');
      if (ctx.fake.store.all(ctx.account, 'billing.meter').some((m) => m.event_name === eventName && m.status === 'active')) {
        throw invalidRequest(`An active meter with event_name '${eventName}' already exists.`, { param: 'event_name' });
      }
      const now = ctx.fake.now();
      const meter: StripeObject = {
        id: randomId('mtr_test', 24),
        object: 'billing.meter',
        created: now,
        customer_mapping: {
          event_payload_key: (mapping && str(mapping, 'event_payload_key', { param: 'customer_mapping[event_payload_key]' })) ?? 'stripe_customer_id',
          type: 'by_id',
        },
        default_aggregation: { formula },
        display_name: displayName,
        event_name: eventName,
        event_time_window: oneOf(ctx.params, 'event_time_window', ['day', 'hour']) ?? null,
        livemode: false,
        status: 'active',
        status_transitions: { deactivated_at: null },
        updated: now,
        value_settings: { event_payload_key: (valueSettings && str(valueSettings, 'event_payload_key', { param: 'value_settings[event_payload_key]' })) ?? 'value' },
      };
      return respond(ctx, ctx.fake.store.put(ctx.account, meter));
    },
  },
  { method: 'GET', path: '/v1/billing/meters/:id', handler: (ctx) => respond(ctx, find(ctx, 'billing.meter', 'billing meter', ctx.path.id)) },
  {
    method: 'GET',
    path: '/v1/billing/meters',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['status', 'limit', 'starting_after', 'ending_before']);
      const status = oneOf(ctx.params, 'status', ['active', 'inactive']);
      return respondList(ctx, ctx.fake.store.all(ctx.account, 'billing.meter').filter((m) => !status || m.status === status), '/v1/billing/meters');
    },
  },
  ...(['deactivate', 'reactivate'] as const).map((action): Route => ({
    method: 'POST',
    path: `/v1/billing/meters/:id/${action}`,
    handler: (ctx) => {
      const meter = find(ctx, 'billing.meter', 'billing meter', ctx.path.id);
      meter.status = action === 'deactivate' ? 'inactive' : 'active';
      meter.status_transitions = { deactivated_at: action === 'deactivate' ? ctx.fake.now() : null };
      meter.updated = ctx.fake.now();
      return respond(ctx, meter);
    },
  })),
  {
    method: 'GET',
    path: '/v1/billing/meters/:id/event_summaries',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['customer', 'start_time', 'end_time', 'value_grouping_window', 'limit', 'starting_after', 'ending_before']);
      const meter = find(ctx, 'billing.meter', 'billing meter', ctx.path.id);
      const customer = str(ctx.params, 'customer', { required: true }) as string;
      const start = int(ctx.params, 'start_time', { required: true }) as number;
      const end = int(ctx.params, 'end_time', { required: true }) as number;
      if (ctx.params.value_grouping_window !== undefined) throw invalidRequest('fake-stripe: value_grouping_window is not implemented', { param: 'value_grouping_window' });
      const summary: StripeObject = {
        id: randomId('mtrusg_test', 24),
        object: 'billing.meter_event_summary',
        aggregated_value: meterUsage(ctx.fake, ctx.account, meter, customer, start, end),
        end_time: end,
        livemode: false,
        meter: meter.id,
        start_time: start,
      };
      return { object: 'list', data: [summary], has_more: false, url: `/v1/billing/meters/${meter.id}/event_summaries` };
    },
  },
  {
    method: 'POST',
    path: '/v1/billing/meter_events',
    handler: (ctx: Ctx) => {
      rejectUnknown(ctx.params, ['event_name', 'payload', 'identifier', 'timestamp']);
      const eventName = str(ctx.params, 'event_name', { required: true }) as string;
      const payload = obj(ctx.params, 'payload', { required: true }) as Record<string, string>;
      const now = ctx.fake.now();
      const timestamp = int(ctx.params, 'timestamp') ?? now;
      if (timestamp < now - 35 * 86_400 || timestamp > now + 300) {
        throw invalidRequest('Timestamp must be within the past 35 days and not more than 5 minutes in the future.', { param: 'timestamp' });
      }
      const identifier = str(ctx.params, 'identifier') ?? randomId('fake', 20).replace('fake_', '');
      const key = `meter_event:${identifier}`;
      // Stripe enforces identifier uniqueness over a rolling window of at least 24 hours.
      const existing = ctx.fake.store.get(ctx.account, key);
      if (existing && (existing.created as number) > now - 86_400) {
        throw invalidRequest(`An event already exists with identifier ${identifier}.`, { param: 'identifier' });
      }
      // Unknown meters/customers are reported asynchronously by Stripe (v1.billing.meter.* events), not here.
      const event: StripeObject = { id: key, object: 'billing.meter_event', created: now, event_name: eventName, identifier, livemode: false, payload: clone(payload), timestamp };
      ctx.fake.store.put(ctx.account, event);
      const { id: _id, ...out } = clone(event);
      return out;
    },
  },
  {
    method: 'POST',
    path: '/v1/billing_portal/sessions',
    handler: (ctx) => {
      rejectUnknown(ctx.params, ['customer', 'return_url', 'configuration', 'locale', 'flow_data', 'on_behalf_of']);
      const customer = str(ctx.params, 'customer', { required: true }) as string;
      find(ctx, 'customer', 'customer', customer, 'customer');
      const id = randomId('bps', 24);
      const session: StripeObject = {
        id,
        object: 'billing_portal.session',
        configuration: str(ctx.params, 'configuration') ?? 'bpc_fakedefault0000000000',
        created: ctx.fake.now(),
        customer,
        flow: null,
        livemode: false,
        locale: str(ctx.params, 'locale') ?? null,
        on_behalf_of: str(ctx.params, 'on_behalf_of') ?? null,
        return_url: str(ctx.params, 'return_url') ?? null,
        url: `https://billing.stripe.com/p/session/test_${id.slice(4)}`,
      };
      return respond(ctx, ctx.fake.store.put(ctx.account, session));
    },
  },
];

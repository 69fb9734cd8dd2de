import Stripe from 'stripe';
import type { ApiConfig } from '../config.ts';
import { BillingDisabledError } from './billing-errors.ts';

const clients = new WeakMap<ApiConfig, Stripe>();

/** Is Stripe configured? Billing features answer BILLING_DISABLED when it is not. */
export const stripeEnabled = (config: ApiConfig) => Boolean(config.STRIPE_SECRET_KEY);

/**
 * The Stripe client of this process (one per config). STRIPE_API_HOST/PORT/PROTOCOL point the
 * real library at another server (the tests' fake Stripe).
 */
export function stripeClient(config: ApiConfig): Stripe {
  if (!config.STRIPE_SECRET_KEY) throw new BillingDisabledError();
  let client = clients.get(config);
  if (!client) {
    client = new Stripe(config.STRIPE_SECRET_KEY, {
      ...(config.STRIPE_API_HOST ? { host: config.STRIPE_API_HOST } : {}),
      ...(config.STRIPE_API_PORT ? { port: config.STRIPE_API_PORT } : {}),
      ...(config.STRIPE_API_PROTOCOL ? { protocol: config.STRIPE_API_PROTOCOL } : {}),
      maxNetworkRetries: 2,
      telemetry: false,
      appInfo: { name: 'Parley' },
    });
    clients.set(config, client);
  }
  return client;
}

export function webhookSecrets(config: ApiConfig): string[] {
  return (config.STRIPE_WEBHOOK_SECRET ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

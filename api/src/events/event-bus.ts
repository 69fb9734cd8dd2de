import { randomUUID } from 'node:crypto';
import { createPubSub, type PubSub } from 'graphql-yoga';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { Queue, type ConnectionOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from '../logger.ts';
import type { TicketEvent } from './ticket-event.ts';

/** The BullMQ job the worker runs for every event (SLA recompute and escalation scheduling, webhooks). */
export const TICKET_EVENT_JOB = { name: 'ticket-event.v1', queue: 'automation' } as const;

export type TicketPubSub = PubSub<{
  'ticket-events': [tenantId: string, event: TicketEvent];
  /** Someone arrived on, left or changed activity on a ticket (api/src/presence) */
  'ticket-presence': [tenantId: string, signal: { tenantId: string; ticketId: string }];
}>;

/**
 * The event stream: Redis pub/sub for live subscribers of every API instance (one channel per
 * tenant, `ticket-events:<tenantId>`, so an instance never even receives a tenant's events for
 * a subscriber of another), and a BullMQ job per event for the worker's durable fan-out.
 */
export interface EventBus {
  pubsub: TicketPubSub;
  publish(event: Omit<TicketEvent, 'id' | 'at'> & { id?: string; at?: string }): Promise<TicketEvent>;
  close(): Promise<void>;
}

export function createEventBus(opts: { redisUrl: string; queuePrefix: string; log: Logger; fanOut?: boolean }): EventBus {
  const publishClient = new Redis(opts.redisUrl, { maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(opts.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  for (const c of [publishClient, subscribeClient]) c.on('error', (err) => opts.log.error({ err: err.message }, 'event bus redis error'));
  const pubsub: TicketPubSub = createPubSub({ eventTarget: createRedisEventTarget({ publishClient, subscribeClient }) });
  let queue: Queue | null = null;
  const fanOutQueue = () => (queue ??= new Queue(TICKET_EVENT_JOB.queue, {
    connection: publishClient as unknown as ConnectionOptions, prefix: opts.queuePrefix,
    defaultJobOptions: { attempts: 8, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: 3600, count: 10_000 }, removeOnFail: { age: 7 * 24 * 3600 } },
  }));
  return {
    pubsub,
    async publish(input) {
      const event: TicketEvent = { ...input, id: input.id ?? randomUUID(), at: input.at ?? new Date().toISOString() };
      pubsub.publish('ticket-events', event.tenantId, event);
      if (opts.fanOut !== false) {
        await fanOutQueue().add(TICKET_EVENT_JOB.name, event, { jobId: `ev-${event.id}` });
      }
      return event;
    },
    async close() {
      await queue?.close().catch(() => {});
      // quit (not disconnect) lets pending UNSUBSCRIBEs of closing subscriptions finish.
      await Promise.allSettled([publishClient.quit(), subscribeClient.status === 'wait' ? subscribeClient.disconnect() : subscribeClient.quit()]);
    },
  };
}

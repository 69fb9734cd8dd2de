// Which notice a batch of ticket events by someone else produces on the open ticket page.
import { describe, expect, it } from 'vitest';
import { noticesFor } from '../../web/src/lib/live/ticket-notices.ts';
import type { LiveTicketEvent } from '../../web/src/lib/graphql/live.ts';

const ev = (kind: string, extra: Partial<LiveTicketEvent> = {}): LiveTicketEvent => ({ id: kind, kind, at: '', ticketId: 't', actorUserId: 'bob', ...extra });
const articles: Record<string, { visibleToCustomer: boolean; channel: string }> = {
  reply: { visibleToCustomer: true, channel: 'EMAIL' },
  note: { visibleToCustomer: false, channel: 'NOTE' },
  call: { visibleToCustomer: true, channel: 'PHONE' },
};
const find = (id: string) => articles[id] ?? null;

describe('live notices', () => {
  it('a reply that also locked the ticket is one "replied" notice', () => {
    expect(noticesFor([ev('TICKET_LOCKED'), ev('ARTICLE_ADDED', { articleId: 'reply' })], find)).toEqual([{ key: 'live.replied', actorUserId: 'bob' }]);
  });

  it('notes, calls, unknown articles and customer mails', () => {
    expect(noticesFor([ev('ARTICLE_ADDED', { articleId: 'note' })], find).map((n) => n.key)).toEqual(['live.noted']);
    expect(noticesFor([ev('ARTICLE_ADDED', { articleId: 'call' })], find).map((n) => n.key)).toEqual(['live.phoned']);
    expect(noticesFor([ev('ARTICLE_ADDED', { articleId: 'gone' })], find).map((n) => n.key)).toEqual(['live.articleAdded']);
    expect(noticesFor([ev('ARTICLE_ADDED', { articleId: 'reply', actorUserId: null })], find)).toEqual([{ key: 'live.replied', actorUserId: null }]);
  });

  it('property changes name the field; several in one batch, duplicates once', () => {
    const batch = [ev('TICKET_UPDATED', { changes: ['state', 'owner'] }), ev('TICKET_UPDATED', { changes: ['state'] }), ev('TICKET_UPDATED', { changes: ['mergedFrom'] })];
    expect(noticesFor(batch, find).map((n) => n.key)).toEqual(['live.stateChanged', 'live.ownerChanged', 'live.updated']);
  });

  it('locks by themselves, unlocks, expired locks, merges; SLA events say nothing', () => {
    expect(noticesFor([ev('TICKET_LOCKED')], find).map((n) => n.key)).toEqual(['live.locked']);
    expect(noticesFor([ev('TICKET_UNLOCKED')], find).map((n) => n.key)).toEqual(['live.unlocked']);
    expect(noticesFor([ev('TICKET_UNLOCKED', { actorUserId: null, changes: ['lock_expired'] })], find)).toEqual([{ key: 'live.lockExpired', actorUserId: null }]);
    expect(noticesFor([ev('TICKET_MERGED')], find).map((n) => n.key)).toEqual(['live.merged']);
    expect(noticesFor([ev('SLA_WARNING'), ev('SLA_BREACH')], find)).toEqual([]);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { storeRawMail } from '@parley/api/mail/inbound/store-raw-mail.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { createPostmasterFilter, createSystemAddress, retryInboundMail, setAutoResponse } from '@parley/api/mail/mail-admin.ts';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { expectedMails } from '../fixtures/mail/expected.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { mail, setMailSettings, startMailTestApi } from '../support/mail.ts';
import type { TestApi } from '../support/api.ts';

let api: TestApi;
const fixtures = join(import.meta.dirname, '../fixtures/mail');

beforeAll(async () => { api = await startMailTestApi(); });
afterAll(async () => { await closeQueues(); await api.close(); });

/** Stores and processes one mail for a tenant, as every way in does. */
async function receive(f: TenantFixture, raw: Buffer, recipients = [`support@${f.slug}.localhost`]) {
  const stored = await storeRawMail(api.services, { tenantId: f.tenant.id, source: 'HTTP', raw, recipients });
  const result = await ingestMail(api.services, f.tenant.id, stored.id);
  return { ...result, inboundMailId: stored.id, duplicate: stored.duplicate };
}

const tx = <T>(f: TenantFixture, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(api.services.db, f.tenant.id, fn);

async function withAutoResponses(f: TenantFixture, queueName = 'Raw') {
  const queueId = f.queue(queueName).id;
  await setAutoResponse(api.services.db, f.tenant.id, { queueId, kind: 'NEW_TICKET', subject: 'We got it: {{ticket.title}}', body: 'Ticket {{ticket.number}} is open, {{customer.name}}.' });
  await setAutoResponse(api.services.db, f.tenant.id, { queueId, kind: 'FOLLOW_UP', subject: 'Follow-up received', body: 'Added to {{ticket.number}}.' });
  await setAutoResponse(api.services.db, f.tenant.id, { queueId, kind: 'REJECT', subject: 'Ticket closed', body: 'Ticket {{ticket.number}} is closed; please write a new mail.' });
}

describe('the fixture corpus, end to end (stored, parsed, filed)', () => {
  let f: TenantFixture;
  const bounced: Record<string, string> = {};
  beforeAll(async () => {
    f = await createTenantFixture(api);
    await setMailSettings(api, f.tenant.id, { notifyAgents: false });
    await withAutoResponses(f);
    // Outgoing mails the bounce fixtures refer to, on a ticket of their own.
    const ticket = await tx(f, async (t) => {
      const state = await t.ticketState.findFirstOrThrow({ where: { type: 'OPEN' } });
      const prio = await t.priority.findFirstOrThrow({ where: { level: 3 } });
      return t.ticket.create({ data: { tenantId: f.tenant.id, number: '2026112610000021', title: 'VPN access', queueId: f.queue('Support').id, stateId: state.id, priorityId: prio.id } });
    });
    for (const e of expectedMails.filter((m) => m.bouncedMessageId)) {
      const row = await tx(f, (t) => t.outgoingMail.create({ data: {
        tenantId: f.tenant.id, ticketId: ticket.id, kind: 'AGENT_REPLY', messageId: e.bouncedMessageId!, envelopeFrom: 'support@acme.example',
        recipients: ['x@y.example'], subject: 'Re: VPN access', raw: new Uint8Array(Buffer.from('x')), status: 'SENT' } }));
      bounced[e.file] = row.id;
    }
    bounced.ticketId = ticket.id;
  });

  for (const e of expectedMails) {
    it(`${e.file}: ${e.what}`, async () => {
      const raw = readFileSync(join(fixtures, e.file));
      const r = await receive(f, raw);
      const row = await tx(f, (t) => t.inboundMail.findUniqueOrThrow({ where: { id: r.inboundMailId } }));
      expect(await api.services.blobs.get(row.storageKey)).toEqual(raw);
      if (e.error) {
        expect(r.status).toBe('FAILED');
        expect(row.status).toBe('FAILED');
        expect(row.failureCode).toBe(e.error);
        expect(row.failureReason).toBeTruthy();
        return;
      }
      if (e.kind === 'bounce') {
        expect(r).toMatchObject({ status: 'PROCESSED', outcome: 'bounce', ticketId: bounced.ticketId });
        const out = await tx(f, (t) => t.outgoingMail.findUniqueOrThrow({ where: { id: bounced[e.file] } }));
        expect(out.bouncedAt !== null).toBe(e.bounceStatus !== 'delayed');
        const article = await tx(f, (t) => t.article.findUniqueOrThrow({ where: { id: r.articleId! } }));
        expect(article).toMatchObject({ senderType: 'SYSTEM', visibleToCustomer: false });
        expect(r.outgoingMailIds).toEqual([]);
        return;
      }
      expect(r.status).toBe('PROCESSED');
      // Replies to one of our (seeded) outgoing mails are follow-ups on its ticket; the rest open tickets.
      const refersToOurs = [e.inReplyTo, ...(e.references ?? []), ...(e.referenced ?? [])].some((id) => id && expectedMails.some((m) => m.bouncedMessageId === id));
      expect(r.outcome).toBe(refersToOurs ? 'follow-up:message-id' : 'new-ticket');
      if (refersToOurs) {
        expect(r.ticketId).toBe(bounced.ticketId);
        return;
      }
      const ticket = await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: r.ticketId! }, include: { queue: true, articles: { include: { attachments: true }, orderBy: { createdAt: 'asc' } } } }));
      const first = ticket.articles.find((a) => a.senderType === 'CUSTOMER')!;
      expect(ticket.channel).toBe('EMAIL');
      if (e.subject !== undefined) expect(first.subject).toBe(e.subject);
      if (e.from) expect(first.fromAddress).toContain(e.from.address);
      for (const s of e.textIncludes ?? []) expect(first.bodyText).toContain(s);
      for (const re of e.sanitizedExcludes ?? []) expect(first.bodyHtml ?? '').not.toMatch(re);
      if (e.attachments) {
        expect(first.attachments.map((a) => a.filename).sort()).toEqual(e.attachments.map((a) => a.filename).sort());
        for (const a of first.attachments) expect((await api.services.blobs.get(a.storageKey)).length).toBe(a.size);
      }
      expect(ticket.queue.name).toBe(e.kind === 'spam-flagged' ? 'Junk' : 'Raw');
      const autoResponses = ticket.articles.filter((a) => a.senderType === 'SYSTEM');
      const answerable = e.kind === 'normal' && e.allowAutoResponse !== false && !!e.from;
      if (answerable && e.allowAutoResponse === true) expect(autoResponses).toHaveLength(1);
      if (e.kind !== 'normal' || e.allowAutoResponse === false) expect(autoResponses).toHaveLength(0);
    });
  }
});

describe('threading', () => {
  let f: TenantFixture;
  beforeAll(async () => {
    f = await createTenantFixture(api);
    await setMailSettings(api, f.tenant.id, { notifyAgents: false });
    await withAutoResponses(f);
  });

  it('by In-Reply-To of our auto-response, by References, and by the ticket number in the subject', async () => {
    const first = await receive(f, mail({ from: 'Dana <dana@cust.example>', to: `support@${f.slug}.localhost`, subject: 'Laptop broken' }).raw);
    const ticket = await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: first.ticketId! } }));
    const auto = await tx(f, (t) => t.outgoingMail.findUniqueOrThrow({ where: { id: first.outgoingMailIds[0] } }));
    expect(auto.subject).toBe(`[Ticket#${ticket.number}] We got it: Laptop broken`);
    expect(auto.recipients).toEqual(['dana@cust.example']);
    const autoRaw = Buffer.from(auto.raw).toString();
    expect(autoRaw).toMatch(/Auto-Submitted: auto-replied/);
    expect(autoRaw).toContain('Hello Dana,');
    expect(autoRaw).toContain(`Ticket ${ticket.number} is open, Dana.`);

    const byReply = await receive(f, mail({ from: 'dana@cust.example', to: 'someone@else.example', subject: 'Re: no number here', inReplyTo: auto.messageId }).raw);
    expect(byReply).toMatchObject({ status: 'PROCESSED', outcome: 'follow-up:message-id', ticketId: ticket.id });

    const byRefs = await receive(f, mail({ from: 'dana@cust.example', to: 'x@y.example', subject: 'again', references: ['<unknown@x.example>', auto.messageId, '<other@x.example>'] }).raw);
    expect(byRefs).toMatchObject({ outcome: 'follow-up:message-id', ticketId: ticket.id });

    const byNumber = await receive(f, mail({ from: 'boss@cust.example', to: 'x@y.example', subject: `AW: [Ticket#${ticket.number}] Laptop broken` }).raw);
    expect(byNumber).toMatchObject({ outcome: 'follow-up:ticket-number', ticketId: ticket.id });
    // Follow-ups got the FOLLOW_UP auto-response, threaded to the mail they answer.
    const follow = await tx(f, (t) => t.outgoingMail.findUniqueOrThrow({ where: { id: byNumber.outgoingMailIds[0] } }));
    expect(follow.subject).toBe(`[Ticket#${ticket.number}] Follow-up received`);
  });

  it("by the sender's open ticket only where the tenant enables it", async () => {
    const first = await receive(f, mail({ from: 'erin@cust.example', to: `support@${f.slug}.localhost`, subject: 'Printer' }).raw);
    const second = await receive(f, mail({ from: 'erin@cust.example', to: `support@${f.slug}.localhost`, subject: 'Another thing' }).raw);
    expect(second.outcome).toBe('new-ticket');
    expect(second.ticketId).not.toBe(first.ticketId);
    await setMailSettings(api, f.tenant.id, { threadBySenderOpenTicket: true });
    const third = await receive(f, mail({ from: 'erin@cust.example', to: `support@${f.slug}.localhost`, subject: 'And more' }).raw);
    expect(third).toMatchObject({ outcome: 'follow-up:sender-open-ticket', ticketId: second.ticketId });
    await setMailSettings(api, f.tenant.id, { threadBySenderOpenTicket: false });
  });

  it('the same mail twice (same bytes, or same Message-ID) is filed once', async () => {
    const m = mail({ from: 'frank@cust.example', to: `support@${f.slug}.localhost`, subject: 'Once' });
    const a = await receive(f, m.raw);
    const again = await receive(f, m.raw);
    expect(again.duplicate).toBe(true);
    expect(again.status).toBe('STALE');
    const resent = await receive(f, Buffer.concat([Buffer.from('Received: from relay2.example\r\n'), m.raw]));
    expect(resent).toMatchObject({ status: 'DUPLICATE', ticketId: a.ticketId });
    expect(await tx(f, (t) => t.article.count({ where: { messageId: m.messageId } }))).toBe(1);
  });
});

describe('follow-ups to a closed ticket, per queue option', () => {
  let f: TenantFixture;
  beforeAll(async () => {
    f = await createTenantFixture(api);
    await setMailSettings(api, f.tenant.id, { notifyAgents: false });
    await withAutoResponses(f);
  });

  async function closedTicket(option: 'POSSIBLE' | 'REJECT' | 'NEW_TICKET', lock = false) {
    await tx(f, (t) => t.queue.update({ where: { id: f.queue('Raw').id }, data: { followUpOption: option, followUpLock: lock } }));
    const r = await receive(f, mail({ from: 'gina@cust.example', to: `support@${f.slug}.localhost`, subject: `Closed ${option}` }).raw);
    const closed = await tx(f, (t) => t.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } }));
    return tx(f, (t) => t.ticket.update({ where: { id: r.ticketId! }, data: { stateId: closed.id, ownerId: f.agent.id, closedAt: new Date() } }));
  }

  it('POSSIBLE reopens, and locks to the previous owner where configured', async () => {
    const t1 = await closedTicket('POSSIBLE', true);
    const r = await receive(f, mail({ from: 'gina@cust.example', to: 'x@y.example', subject: `Re: [Ticket#${t1.number}] thanks, but` }).raw);
    expect(r).toMatchObject({ outcome: 'reopened:ticket-number', ticketId: t1.id });
    const after = await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: t1.id }, include: { state: true } }));
    expect(after.state.type).toBe('OPEN');
    expect(after.lockedById).toBe(f.agent.id);
    expect(after.closedAt).toBeNull();
  });

  it('REJECT keeps the mail on the ticket, leaves it closed, and sends the reject auto-response', async () => {
    const t1 = await closedTicket('REJECT');
    const r = await receive(f, mail({ from: 'gina@cust.example', to: 'x@y.example', subject: `Re: [Ticket#${t1.number}] more` }).raw);
    expect(r).toMatchObject({ outcome: 'rejected:ticket-number', ticketId: t1.id });
    const after = await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: t1.id }, include: { state: true } }));
    expect(after.state.type).toBe('CLOSED');
    const out = await tx(f, (t) => t.outgoingMail.findUniqueOrThrow({ where: { id: r.outgoingMailIds[0] } }));
    expect(out.subject).toBe(`[Ticket#${t1.number}] Ticket closed`);
    expect(Buffer.from(out.raw).toString()).toContain(`Ticket ${t1.number} is closed`);
  });

  it('a follow-up to an archived closed ticket restores it from the archive and reopens it (REJECT leaves it archived)', async () => {
    const t1 = await closedTicket('POSSIBLE');
    await tx(f, (t) => t.ticket.update({ where: { id: t1.id }, data: { archived: true } }));
    const r = await receive(f, mail({ from: 'gina@cust.example', to: 'x@y.example', subject: `Re: [Ticket#${t1.number}] back from the archive` }).raw);
    expect(r).toMatchObject({ outcome: 'reopened:ticket-number', ticketId: t1.id });
    const after = await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: t1.id }, include: { state: true } }));
    expect(after.archived).toBe(false);
    expect(after.state.type).toBe('OPEN');
    const history = await tx(f, (t) => t.ticketHistory.findMany({ where: { ticketId: t1.id, action: 'unarchived' } }));
    expect(history).toMatchObject([{ field: 'archived', oldValue: 'true', newValue: 'false' }]);

    const t2 = await closedTicket('REJECT');
    await tx(f, (t) => t.ticket.update({ where: { id: t2.id }, data: { archived: true } }));
    const rejected = await receive(f, mail({ from: 'gina@cust.example', to: 'x@y.example', subject: `Re: [Ticket#${t2.number}] still closed` }).raw);
    expect(rejected.outcome).toBe('rejected:ticket-number');
    expect((await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: t2.id } }))).archived).toBe(true);
  });

  it('NEW_TICKET opens a new ticket', async () => {
    const t1 = await closedTicket('NEW_TICKET');
    const r = await receive(f, mail({ from: 'gina@cust.example', to: 'x@y.example', subject: `Re: [Ticket#${t1.number}] new problem` }).raw);
    expect(r.outcome).toBe('new-ticket:after-closed');
    expect(r.ticketId).not.toBe(t1.id);
  });
});

describe('auto-responses and loops', () => {
  let f: TenantFixture;
  beforeAll(async () => {
    f = await createTenantFixture(api);
    await setMailSettings(api, f.tenant.id, { notifyAgents: false, maxAutoResponsesPerDay: 2 });
    await withAutoResponses(f);
  });

  it('a per-sender limit stops a mail loop', async () => {
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await receive(f, mail({ from: 'bot@loop.example', to: `support@${f.slug}.localhost`, subject: `Loop ${i}` }).raw));
    expect(results.map((r) => r.outgoingMailIds.length)).toEqual([1, 1, 0, 0, 0]);
    const suppressed = await tx(f, (t) => t.ticketHistory.count({ where: { action: 'auto_response_suppressed', newValue: 'limit-reached' } }));
    expect(suppressed).toBe(3);
  });

  it('never answers auto-replies, lists, or our own address; our own mail coming back is ignored', async () => {
    const ooo = await receive(f, mail({ from: 'x@cust.example', to: `support@${f.slug}.localhost`, subject: 'Out of office', headers: { 'Auto-Submitted': 'auto-replied' } }).raw);
    expect(ooo.outgoingMailIds).toEqual([]);
    const list = await receive(f, mail({ from: 'news@list.example', to: `support@${f.slug}.localhost`, subject: 'Newsletter', headers: { Precedence: 'bulk' } }).raw);
    expect(list.outgoingMailIds).toEqual([]);
    const own = await receive(f, mail({ from: `support@${f.slug}.localhost`, to: `support@${f.slug}.localhost`, subject: 'Hi me' }).raw);
    expect(own.outgoingMailIds).toEqual([]);
    const echo = await receive(f, mail({ from: 'x@cust.example', to: `support@${f.slug}.localhost`, subject: 'echo', messageId: `<parley.abc.def@${f.slug}.localhost>` }).raw);
    expect(echo).toMatchObject({ status: 'IGNORED', outcome: 'ignored:own-mail' });
  });

  it('notifies agents about new tickets in their queues and the owner about follow-ups', async () => {
    await setMailSettings(api, f.tenant.id, { notifyAgents: true });
    const r = await receive(f, mail({ from: 'hank@cust.example', to: `support@${f.slug}.localhost`, subject: 'Notify me' }).raw);
    const notes = await tx(f, (t) => t.outgoingMail.findMany({ where: { id: { in: r.outgoingMailIds }, kind: 'NOTIFICATION' } }));
    expect(notes.flatMap((n) => n.recipients).sort()).toEqual([f.admin.email, f.agent.email, f.agent2.email].sort());
    expect(Buffer.from(notes[0].raw).toString()).toMatch(/Auto-Submitted: auto-generated/);
    await tx(f, (t) => t.ticket.update({ where: { id: r.ticketId! }, data: { ownerId: f.agent2.id } }));
    const ticket = await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: r.ticketId! } }));
    const fu = await receive(f, mail({ from: 'hank@cust.example', to: 'x@y.example', subject: `[Ticket#${ticket.number}] more` }).raw);
    const fuNotes = await tx(f, (t) => t.outgoingMail.findMany({ where: { id: { in: fu.outgoingMailIds }, kind: 'NOTIFICATION' } }));
    expect(fuNotes.flatMap((n) => n.recipients)).toEqual([f.agent2.email]);
    await setMailSettings(api, f.tenant.id, { notifyAgents: false });
  });
});

describe('routing', () => {
  let f: TenantFixture;
  beforeAll(async () => {
    f = await createTenantFixture(api);
    await setMailSettings(api, f.tenant.id, { notifyAgents: false });
  });

  it('by recipient system address, and by PostMaster filters (queue, priority, state, ignore)', async () => {
    await createSystemAddress(api.services.db, f.tenant.id, { address: `billing@${f.slug}.localhost`, queueId: f.queue('Billing').id }, 'localhost');
    const billing = await receive(f, mail({ from: 'ian@cust.example', to: `billing@${f.slug}.localhost`, subject: 'Invoice' }).raw, [`billing@${f.slug}.localhost`]);
    expect((await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: billing.ticketId! } }))).queueId).toBe(f.queue('Billing').id);

    const high = await tx(f, (t) => t.priority.findFirstOrThrow({ where: { level: 5 } }));
    const open = await tx(f, (t) => t.ticketState.findFirstOrThrow({ where: { type: 'OPEN' } }));
    await createPostmasterFilter(api.services.db, f.tenant.id, { name: 'urgent to support', match: [{ header: 'Subject', pattern: '\\burgent\\b' }, { header: 'From', pattern: '@vip\\.example', negate: false }], set: { queueId: f.queue('Support').id, priorityId: high.id, stateId: open.id } });
    await createPostmasterFilter(api.services.db, f.tenant.id, { name: 'drop spam', match: [{ header: 'X-Spam-Level', pattern: '^\\*{5,}' }], set: { ignore: true } });
    const urgent = await receive(f, mail({ from: 'ceo@vip.example', to: `support@${f.slug}.localhost`, subject: 'URGENT: down' }).raw);
    const t1 = await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: urgent.ticketId! } }));
    expect(t1).toMatchObject({ queueId: f.queue('Support').id, priorityId: high.id, stateId: open.id });
    const notVip = await receive(f, mail({ from: 'someone@else.example', to: `support@${f.slug}.localhost`, subject: 'urgent too' }).raw);
    expect((await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: notVip.ticketId! } }))).queueId).toBe(f.queue('Raw').id);
    const spam = await receive(f, mail({ from: 's@spam.example', to: `support@${f.slug}.localhost`, subject: 'buy', headers: { 'X-Spam-Level': '*******' } }).raw);
    expect(spam).toMatchObject({ status: 'IGNORED', outcome: 'ignored:filter:drop spam', ticketId: null });
  });
});

describe('tenant isolation', () => {
  it("mail for tenant B never lands in tenant A's ticket, whatever its headers claim", async () => {
    const a = await createTenantFixture(api);
    const b = await createTenantFixture(api);
    for (const f of [a, b]) await setMailSettings(api, f.tenant.id, { notifyAgents: false, threadBySenderOpenTicket: true });
    await withAutoResponses(a);
    const inA = await receive(a, mail({ from: 'jo@cust.example', to: `support@${a.slug}.localhost`, subject: 'Tenant A issue' }).raw);
    const ticketA = await tx(a, (t) => t.ticket.findUniqueOrThrow({ where: { id: inA.ticketId! } }));
    const autoA = await tx(a, (t) => t.outgoingMail.findUniqueOrThrow({ where: { id: inA.outgoingMailIds[0] } }));
    const articleA = await tx(a, (t) => t.article.findFirstOrThrow({ where: { ticketId: ticketA.id, senderType: 'CUSTOMER' } }));
    // Same sender, A's ticket number, A's Message-IDs in In-Reply-To/References: delivered to B.
    const inB = await receive(b, mail({
      from: 'jo@cust.example', to: `support@${a.slug}.localhost`, subject: `Re: [Ticket#${ticketA.number}] Tenant A issue`,
      inReplyTo: autoA.messageId, references: [articleA.messageId!], headers: { 'Delivered-To': `support@${a.slug}.localhost` },
    }).raw, [`support@${b.slug}.localhost`]);
    expect(inB.outcome).toBe('new-ticket');
    const ticketB = await tx(b, (t) => t.ticket.findUniqueOrThrow({ where: { id: inB.ticketId! } }));
    expect(ticketB.tenantId).toBe(b.tenant.id);
    expect(await tx(a, (t) => t.article.count({ where: { ticketId: ticketA.id } }))).toBe(2); // the mail and its auto-response
    expect(await tx(b, (t) => t.ticket.findUnique({ where: { id: ticketA.id } }))).toBeNull();
  });
});

describe('a mail that cannot be parsed', () => {
  it('is kept raw with the reason, does not block the next mail, and can be retried', async () => {
    const f = await createTenantFixture(api);
    await setMailSettings(api, f.tenant.id, { notifyAgents: false });
    const bad = await receive(f, readFileSync(join(fixtures, '24-not-a-mail.bin')));
    expect(bad.status).toBe('FAILED');
    const next = await receive(f, mail({ from: 'kim@cust.example', to: `support@${f.slug}.localhost`, subject: 'after the bad one' }).raw);
    expect(next.status).toBe('PROCESSED');
    const row = await retryInboundMail(api.services, f.tenant.id, bad.inboundMailId);
    expect(row.status).toBe('RECEIVED');
    const again = await ingestMail(api.services, f.tenant.id, bad.inboundMailId);
    expect(again.status).toBe('FAILED');
    const failed = await tx(f, (t) => t.inboundMail.findUniqueOrThrow({ where: { id: bad.inboundMailId } }));
    expect(failed).toMatchObject({ status: 'FAILED', failureCode: 'NOT_RFC822', attempts: 2 });
  });
});

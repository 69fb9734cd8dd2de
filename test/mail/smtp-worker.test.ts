import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { startSmtpReceiver, type SmtpReceiver } from '@parley/api/mail/smtp-receiver.ts';
import { rotateIngestToken } from '@parley/api/mail/inbound/http-ingest.ts';
import { sendOutgoingMail, closeTransports } from '@parley/api/mail/outbound/send-outgoing-mail.ts';
import { setAutoResponse } from '@parley/api/mail/mail-admin.ts';
import { runWorkers, type RunningWorkers } from '@parley/worker/run-workers.ts';
import { jobs } from '@parley/worker/jobs/index.ts';
import { sweepMail } from '@parley/worker/jobs/mail-sweep/handler.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { deliverSmtp, mail, setMailSettings, startMailTestApi, startSmtpSink, waitUntil, type SmtpSink } from '../support/mail.ts';
import type { TestApi } from '../support/api.ts';

let api: TestApi & { prefix: string };
let sink: SmtpSink;
let receiver: SmtpReceiver;
let workers: RunningWorkers;
let f: TenantFixture;

beforeAll(async () => {
  sink = await startSmtpSink();
  api = await startMailTestApi({ MAIL_RELAY_URL: sink.url });
  receiver = await startSmtpReceiver(api.services, { port: 0 });
  workers = await runWorkers(api.services, jobs.filter((j) => !j.schedule), { concurrency: 5 });
  f = await createTenantFixture(api);
  await setMailSettings(api, f.tenant.id, { notifyAgents: false });
  await setAutoResponse(api.services.db, f.tenant.id, { queueId: f.queue('Raw').id, kind: 'NEW_TICKET', subject: 'Received: {{ticket.title}}', body: 'Your ticket number is {{ticket.number}}.' });
});
afterAll(async () => {
  await receiver.close();
  await workers.close();
  await closeQueues();
  closeTransports();
  await sink.close();
  await api.close();
});

const tx = <T>(fn: Parameters<typeof withTenant<T>>[2]) => withTenant(api.services.db, f.tenant.id, fn);
const ticketOf = (messageId: string) => waitUntil(() => tx((t) => t.article.findFirst({ where: { messageId }, include: { ticket: true } })), 20_000, `article ${messageId}`);

describe('SMTP receiver → worker → outbox → SMTP', () => {
  it('accepts mail for the tenant address, files it, and sends the auto-response once', async () => {
    const m = mail({ from: 'Lena <lena@cust.example>', to: `support@${f.slug}.localhost`, subject: 'Wifi down' });
    const info = await deliverSmtp(receiver.port, { from: 'lena@cust.example', to: [`support@${f.slug}.localhost`] }, m.raw);
    expect(info.response).toMatch(/^250/);
    const { ticket } = await ticketOf(m.messageId);
    const sent = await sink.waitFor((ms) => ms.some((x) => x.inReplyTo === m.messageId));
    const auto = sent.filter((x) => x.inReplyTo === m.messageId);
    expect(auto).toHaveLength(1);
    expect(auto[0].subject).toBe(`[Ticket#${ticket.number}] Received: Wifi down`);
    expect(auto[0].to).toEqual(['lena@cust.example']);
    expect(auto[0].from).toBe(`support@${f.slug}.localhost`);
    expect(auto[0].headers.get('auto-submitted')).toBe('auto-replied');
    // The sink has it once the DATA is in; the worker records SENT right after the 250.
    const row = await waitUntil(() => tx((t) => t.outgoingMail.findFirst({ where: { ticketId: ticket.id, status: 'SENT' } })), 10_000, 'SENT recorded');
    expect(row.attempts).toBe(1);
  });

  it('a second worker process can listen on the same port (SO_REUSEPORT) and files mail too', async () => {
    const second = await startSmtpReceiver(api.services, { port: receiver.port });
    try {
      expect(second.port).toBe(receiver.port);
      const m = mail({ from: 'Ana <ana@cust.example>', to: `support@${f.slug}.localhost`, subject: 'Shared port' });
      const info = await deliverSmtp(second.port, { from: 'ana@cust.example', to: [`support@${f.slug}.localhost`] }, m.raw);
      expect(info.response).toMatch(/^250/);
      expect((await ticketOf(m.messageId)).ticket.title).toBe('Shared port');
    } finally {
      await second.close();
    }
  });

  it('refuses unknown recipients at RCPT time', async () => {
    const m = mail({ from: 'x@cust.example', to: `nobody@${f.slug}.localhost`, subject: 'hello' });
    await expect(deliverSmtp(receiver.port, { from: 'x@cust.example', to: [`nobody@${f.slug}.localhost`] }, m.raw)).rejects.toMatchObject({ responseCode: 550 });
    await expect(deliverSmtp(receiver.port, { from: 'x@cust.example', to: ['support@nosuchtenant.localhost'] }, m.raw)).rejects.toMatchObject({ responseCode: 550 });
  });

  it('one SMTP transaction for two tenants stores one copy for each, each in its own tenant', async () => {
    const g = await createTenantFixture(api);
    await setMailSettings(api, g.tenant.id, { notifyAgents: false });
    const m = mail({ from: 'x@cust.example', to: `support@${f.slug}.localhost, support@${g.slug}.localhost`, subject: 'to both' });
    await deliverSmtp(receiver.port, { from: 'x@cust.example', to: [`support@${f.slug}.localhost`, `support@${g.slug}.localhost`] }, m.raw);
    const inF = await ticketOf(m.messageId);
    const inG = await waitUntil(() => withTenant(api.services.db, g.tenant.id, (t) => t.article.findFirst({ where: { messageId: m.messageId }, include: { ticket: true } })));
    expect(inF.ticket.tenantId).toBe(f.tenant.id);
    expect(inG.ticket.tenantId).toBe(g.tenant.id);
  });
});

describe('HTTP ingest', () => {
  const base = () => api.url.replace('/graphql', '');
  it('takes raw RFC 822 with the tenant token, refuses a wrong token or another tenant', async () => {
    const token = await rotateIngestToken(api.services.db, f.tenant.id);
    const g = await createTenantFixture(api);
    const tokenG = await rotateIngestToken(api.services.db, g.tenant.id);
    const m = mail({ from: 'mo@cust.example', to: `support@${f.slug}.localhost`, subject: 'via http' });
    const post = (slug: string, tok: string, body: Buffer) => fetch(`${base()}/mail/inbound/${slug}?recipient=support@${slug}.localhost`, { method: 'POST', headers: { authorization: `Bearer ${tok}`, 'content-type': 'message/rfc822' }, body: new Uint8Array(body) });
    expect((await post(f.slug, 'pmi_wrong', m.raw)).status).toBe(401);
    expect((await post(f.slug, tokenG, m.raw)).status).toBe(401);
    expect((await post('nosuchtenant', token, m.raw)).status).toBe(401);
    const ok = await post(f.slug, token, m.raw);
    expect(ok.status).toBe(202);
    const body = await ok.json() as { id: string; duplicate: boolean };
    expect(body.duplicate).toBe(false);
    const again = await post(f.slug, token, m.raw);
    expect(await again.json()).toEqual({ id: body.id, duplicate: true });
    const { ticket } = await ticketOf(m.messageId);
    expect(ticket.tenantId).toBe(f.tenant.id);
    expect(await withTenant(api.services.db, g.tenant.id, (t) => t.article.count({ where: { messageId: m.messageId } }))).toBe(0);
  });
});

describe('outbox', () => {
  it("an agent's reply is recorded with the article and sent with threading headers, salutation and signature", async () => {
    const m = mail({ from: 'Nora <nora@cust.example>', to: `support@${f.slug}.localhost`, subject: 'Screen flickers' });
    await deliverSmtp(receiver.port, { from: 'nora@cust.example', to: [`support@${f.slug}.localhost`] }, m.raw);
    const { ticket } = await ticketOf(m.messageId);
    const res = await api.gql(`mutation($input: AddArticleInput!) { addArticle(input: $input) { __typename ... on Error { message } } }`,
      { input: { ticketId: ticket.id, kind: 'REPLY', body: 'Please update the driver.' } }, f.agent.token);
    expect(res.data.addArticle.__typename).toBe('AddArticleSuccess');
    const article = await tx((t) => t.article.findFirstOrThrow({ where: { ticketId: ticket.id, senderType: 'AGENT' } }));
    const out = await tx((t) => t.outgoingMail.findFirstOrThrow({ where: { articleId: article.id } }));
    expect(out.messageId).toBe(article.messageId);
    const sent = (await sink.waitFor((ms) => ms.some((x) => x.messageId === out.messageId))).find((x) => x.messageId === out.messageId)!;
    expect(sent.subject).toBe(`[Ticket#${ticket.number}] Re: Screen flickers`);
    expect(sent.inReplyTo).toBe(m.messageId);
    expect(sent.headers.get('auto-submitted')).toBeUndefined();
    const text = sent.text;
    expect(text).toContain('Hello Nora,');
    expect(text).toContain('Please update the driver.');
    expect(text).toContain(`Your Tenant ${f.slug} support team`);
    // The mail carries one-click rating links for this reply; one works once, without a login.
    const links = [...sent.text.matchAll(/\/rate\/(rt_[A-Za-z0-9_-]+)\?score=(\d)/g)];
    expect(links.map((l) => l[2])).toEqual(['5', '4', '3', '2', '1']);
    const rate = `mutation($t: String!) { rateByToken(token: $t, score: 4) { __typename } }`;
    expect((await api.gql(rate, { t: links[0][1] })).data.rateByToken.__typename).toBe('RateByTokenSuccess');
    expect((await api.gql(rate, { t: links[0][1] })).data.rateByToken.__typename).not.toBe('RateByTokenSuccess');
    // The customer's answer to it threads by In-Reply-To.
    const answer = mail({ from: 'nora@cust.example', to: `support@${f.slug}.localhost`, subject: 'Re: it worked', inReplyTo: out.messageId });
    await deliverSmtp(receiver.port, { from: 'nora@cust.example', to: [`support@${f.slug}.localhost`] }, answer.raw);
    expect((await ticketOf(answer.messageId)).ticketId).toBe(ticket.id);
  });

  it('retries a temporary SMTP failure, and records a permanent one without retrying', async () => {
    const m = mail({ from: 'olga@cust.example', to: `support@${f.slug}.localhost`, subject: 'retry me' });
    sink.failNext(1, 451);
    await deliverSmtp(receiver.port, { from: 'olga@cust.example', to: [`support@${f.slug}.localhost`] }, m.raw);
    const { ticket } = await ticketOf(m.messageId);
    const row = await waitUntil(() => tx((t) => t.outgoingMail.findFirst({ where: { ticketId: ticket.id, status: 'SENT' } })), 30_000, 'retried send');
    expect(row.attempts).toBe(2);
    expect(sink.mails.filter((x) => x.messageId === row.messageId)).toHaveLength(1);

    const p = mail({ from: 'pete@cust.example', to: `support@${f.slug}.localhost`, subject: 'reject me' });
    sink.failNext(1, 550);
    await deliverSmtp(receiver.port, { from: 'pete@cust.example', to: [`support@${f.slug}.localhost`] }, p.raw);
    const t2 = (await ticketOf(p.messageId)).ticket;
    const failed = await waitUntil(() => tx((t) => t.outgoingMail.findFirst({ where: { ticketId: t2.id, status: 'FAILED' } })), 20_000, 'failed send');
    expect(failed).toMatchObject({ attempts: 1 });
    expect(failed.lastError).toMatch(/sink says no/);
  });

  it('a crash after the SMTP server accepted but before the row was recorded does not send twice', async () => {
    const m = mail({ from: 'quinn@cust.example', to: `support@${f.slug}.localhost`, subject: 'crash between send and record' });
    await deliverSmtp(receiver.port, { from: 'quinn@cust.example', to: [`support@${f.slug}.localhost`] }, m.raw);
    const { ticket } = await ticketOf(m.messageId);
    const row = await waitUntil(() => tx((t) => t.outgoingMail.findFirst({ where: { ticketId: ticket.id, status: 'SENT' } })));
    // Simulate the crash: the database still says SENDING (the marker in Redis was written).
    await tx((t) => t.outgoingMail.update({ where: { id: row.id }, data: { status: 'SENDING', sendingStartedAt: new Date(Date.now() - 60_000) } }));
    expect(await sendOutgoingMail(api.services, f.tenant.id, row.id)).toBe('already-sent');
    expect(sink.mails.filter((x) => x.messageId === row.messageId)).toHaveLength(1);
    // A crash before the server accepted (no marker): sent again after the lease, never lost.
    await tx((t) => t.outgoingMail.update({ where: { id: row.id }, data: { status: 'SENDING', sendingStartedAt: new Date(Date.now() - 60_000) } }));
    await api.services.redis.del(`mail-out:sent:${f.tenant.id}:${row.messageId}`);
    expect(await sweepMail(api.services, { graceMs: 0 })).toMatchObject({ outgoing: expect.any(Number) });
    await sink.waitFor((ms) => ms.filter((x) => x.messageId === row.messageId).length === 2);
  });

  it('a slow SMTP server never lets a second worker claim a mail still being sent: the lease is renewed', async () => {
    const m = mail({ from: 'rita@cust.example', to: `support@${f.slug}.localhost`, subject: 'slow relay' });
    await deliverSmtp(receiver.port, { from: 'rita@cust.example', to: [`support@${f.slug}.localhost`] }, m.raw);
    const { ticket } = await ticketOf(m.messageId);
    const row = await waitUntil(() => tx((t) => t.outgoingMail.findFirst({ where: { ticketId: ticket.id, status: 'SENT' } })));
    // Send it again from scratch, through a relay that takes 3.5 s to answer, with a 1 s lease.
    await tx((t) => t.outgoingMail.update({ where: { id: row.id }, data: { status: 'PENDING', sentAt: null } }));
    await api.services.redis.del(`mail-out:sent:${f.tenant.id}:${row.messageId}`);
    const services = { ...api.services, config: { ...api.services.config, MAIL_SEND_LEASE_SECONDS: 1 } };
    const copies = () => sink.mails.filter((x) => x.messageId === row.messageId).length;
    expect(copies()).toBe(1);
    sink.delayNext(1, 3500);
    const first = sendOutgoingMail(services, f.tenant.id, row.id);
    await new Promise((r) => setTimeout(r, 2500)); // without renewal the lease would have run out twice
    await expect(sendOutgoingMail(services, f.tenant.id, row.id)).rejects.toThrow(/another worker/);
    expect(await first).toBe('sent');
    expect(copies()).toBe(2);
    expect(await sendOutgoingMail(services, f.tenant.id, row.id)).toBe('stale');
    expect(copies()).toBe(2);
  });
});

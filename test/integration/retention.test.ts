// Retention of tickets that came in by mail: DELETE removes the mail rows that point at the
// ticket (they reference it without cascade) and the raw bytes; ANONYMIZE leaves no customer
// address or subject in the outbox, the inbound rows, the blob store or the notifications.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { storeRawMail } from '@parley/api/mail/inbound/store-raw-mail.ts';
import { ingestMail } from '@parley/api/mail/inbound/ingest-mail.ts';
import { setAutoResponse } from '@parley/api/mail/mail-admin.ts';
import { closeQueues } from '@parley/api/jobs/job-queue.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { mail, startMailTestApi } from '../support/mail.ts';
import type { TestApi } from '../support/api.ts';

let api: TestApi;
const DAY = 86_400_000;
const POLICY = `mutation($i: RetentionPolicyInput!) { setRetentionPolicy(input: $i) { __typename } }`;
const REPORT = '{ retentionReport { action count sample } }';
const APPLY = `mutation($n: Int!) { applyRetention(expectedCount: $n) { __typename ... on ApplyRetentionSuccess { result { affected } } ... on Error { code message } } }`;

beforeAll(async () => { api = await startMailTestApi(); });
afterAll(async () => { await closeQueues(); await api.close(); });

const tx = <T>(f: TenantFixture, fn: Parameters<typeof withTenant<T>>[2]) => withTenant(api.services.db, f.tenant.id, fn);

/** A tenant with a NEW_TICKET auto-response and one ticket opened by mail, closed 400 days ago. */
async function oldMailTicket(action: 'DELETE' | 'ANONYMIZE', from: string, subject: string) {
  const f = await createTenantFixture(api);
  await setAutoResponse(api.services.db, f.tenant.id, { queueId: f.queue('Raw').id, kind: 'NEW_TICKET', subject: 'We got it: {{ticket.title}}', body: 'Ticket {{ticket.number}} is open.' });
  const stored = await storeRawMail(api.services, { tenantId: f.tenant.id, source: 'HTTP', raw: mail({ from, to: `support@${f.slug}.localhost`, subject, body: `private details from ${from}` }).raw, recipients: [`support@${f.slug}.localhost`], remoteAddress: '203.0.113.7' });
  const r = await ingestMail(api.services, f.tenant.id, stored.id);
  expect(r).toMatchObject({ status: 'PROCESSED', outcome: 'new-ticket' });
  expect(r.outgoingMailIds.length).toBeGreaterThanOrEqual(1);
  const ticketId = r.ticketId!;
  const inbound = await tx(f, (t) => t.inboundMail.findUniqueOrThrow({ where: { id: stored.id } }));
  expect(await api.services.blobs.exists(inbound.storageKey)).toBe(true);
  await tx(f, async (t) => {
    const closed = await t.ticketState.findFirstOrThrow({ where: { type: 'CLOSED' } });
    await t.ticket.update({ where: { id: ticketId }, data: { stateId: closed.id, closedAt: new Date(Date.now() - 400 * DAY) } });
    const owner = await t.user.findFirstOrThrow({ where: { id: f.agent.id } });
    await t.agentNotification.create({ data: { tenantId: f.tenant.id, userId: owner.id, ticketId, kind: 'sla_breach', message: `SLA breached: ${subject}` } });
  });
  expect((await api.gql(POLICY, { i: { retentionMonths: 6, retentionAction: action } }, f.admin.token)).data.setRetentionPolicy.__typename).toBe('SetRetentionPolicySuccess');
  return { f, ticketId, inbound, outgoingMailIds: r.outgoingMailIds };
}

async function apply(f: TenantFixture) {
  const report = (await api.gql(REPORT, {}, f.admin.token)).data.retentionReport;
  expect(report.count).toBe(1);
  return api.gql(APPLY, { n: report.count }, f.admin.token);
}

describe('retention of tickets that came in by mail', () => {
  it('DELETE removes the ticket with its inbound and outgoing mail rows and the raw bytes', async () => {
    const { f, ticketId, inbound, outgoingMailIds } = await oldMailTicket('DELETE', 'dana@cust.example', 'Printer on fire');
    const res = await apply(f);
    expect(res.errors).toBeUndefined();
    expect(res.data.applyRetention).toEqual({ __typename: 'ApplyRetentionSuccess', result: { affected: 1 } });
    expect(await tx(f, (t) => t.ticket.count({ where: { id: ticketId } }))).toBe(0);
    expect(await tx(f, (t) => t.inboundMail.count({ where: { id: inbound.id } }))).toBe(0);
    expect(await tx(f, (t) => t.outgoingMail.count({ where: { id: { in: outgoingMailIds } } }))).toBe(0);
    expect(await tx(f, (t) => t.agentNotification.count({ where: { ticketId } }))).toBe(0);
    expect(await api.services.blobs.exists(inbound.storageKey)).toBe(false);
    expect((await api.gql(REPORT, {}, f.admin.token)).data.retentionReport.count).toBe(0);
  });

  it('ANONYMIZE leaves no customer address or subject in outgoing mails, inbound rows, blobs or notifications', async () => {
    const { f, ticketId, inbound, outgoingMailIds } = await oldMailTicket('ANONYMIZE', 'erin@cust.example', 'Salary question');
    const res = await apply(f);
    expect(res.data.applyRetention).toEqual({ __typename: 'ApplyRetentionSuccess', result: { affected: 1 } });
    const out = await tx(f, (t) => t.outgoingMail.findMany({ where: { OR: [{ id: { in: outgoingMailIds } }, { ticketId }] } }));
    expect(out.length).toBeGreaterThanOrEqual(outgoingMailIds.length);
    for (const m of out) {
      const text = JSON.stringify({ ...m, raw: Buffer.from(m.raw).toString('utf8') });
      expect(text).not.toContain('erin@cust.example');
      expect(text).not.toContain('Salary question');
      expect(m.subject).toBe('[anonymized]');
      expect(m.recipients).toEqual([]);
      expect(m.raw.length).toBe(0);
      expect(m.status === 'SENT' || m.status === 'FAILED').toBe(true); // never sent after anonymizing
    }
    const inRow = await tx(f, (t) => t.inboundMail.findUniqueOrThrow({ where: { id: inbound.id } }));
    expect(inRow).toMatchObject({ envelopeFrom: null, remoteAddress: null, messageId: null, ticketId });
    expect(await api.services.blobs.exists(inbound.storageKey)).toBe(false);
    const notes = await tx(f, (t) => t.agentNotification.findMany({ where: { ticketId } }));
    expect(notes.map((n) => n.message)).toEqual(['[anonymized]']);
    const ticket = await tx(f, (t) => t.ticket.findUniqueOrThrow({ where: { id: ticketId } }));
    expect(ticket.title).toBe('[anonymized]');
    expect((await api.gql(REPORT, {}, f.admin.token)).data.retentionReport.count).toBe(0);
  });
});

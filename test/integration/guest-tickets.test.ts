import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@parley/db';
import { issueChallenge, leadingZeroBits, proofHash, solveChallenge } from '@parley/api/customers/proof-of-work.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, type TenantFixture } from '../support/factories.ts';
import { CHALLENGE, SETTINGS, SUBMIT_GUEST, gqlFrom, outboxTo, uniqueIp } from '../support/portal.ts';

let api: TestApi;
let t: TenantFixture;
let queueId: string;

beforeAll(async () => {
  api = await startTestApi({
    QUEUE_PREFIX: `portal-guest-${process.pid}`,
    PORTAL_POW_DIFFICULTY: '10',
    PORTAL_GUEST_TICKETS_PER_IP_HOUR: '4',
    PORTAL_GUEST_TICKETS_PER_ADDRESS_HOUR: '3',
  });
  t = await createTenantFixture(api);
  queueId = t.queues.find((q) => q.openToCustomers)!.id;
  await api.gql(SETTINGS, { input: { allowGuestTickets: true } }, t.admin.token);
});
afterAll(() => api?.close());

async function solved(ip: string, slug = t.slug) {
  const res = await gqlFrom(api, ip, CHALLENGE, { slug });
  const c = res.data.guestTicketChallenge;
  if (c.__typename !== 'GuestTicketChallenge') throw new Error(JSON.stringify(c));
  return { challenge: c.challenge as string, solution: solveChallenge(c.challenge, c.difficulty), difficulty: c.difficulty as number };
}

function form({ difficulty: _d, ...overrides }: Record<string, unknown> = {}) {
  return { tenantSlug: t.slug, name: 'Gina Guest', email: `gina.${Date.now()}.${Math.random().toString(36).slice(2, 6)}@example.com`, queueId, subject: 'Printer on fire', message: 'It is really on fire.', ...overrides };
}

async function submit(ip: string, input: Record<string, unknown>) {
  const res = await gqlFrom(api, ip, SUBMIT_GUEST, { input });
  if (res.errors) throw new Error(JSON.stringify(res.errors));
  return res;
}

describe('guest form', () => {
  it('is off by default: no challenge, no ticket, and portalInfo says so', async () => {
    const off = await createTenantFixture(api);
    const info = await api.gql('query($s: String!) { portalInfo(tenantSlug: $s) { allowSignUp allowGuestTickets guestQueues { id } } }', { s: off.slug });
    expect(info.data.portalInfo).toEqual({ allowSignUp: false, allowGuestTickets: false, guestQueues: [] });
    const res = await gqlFrom(api, uniqueIp(), CHALLENGE, { slug: off.slug });
    expect(res.data.guestTicketChallenge.__typename).toBe('ForbiddenError');
    const proof = await solved(uniqueIp());
    const refused = await submit(uniqueIp(), form({ ...proof, tenantSlug: off.slug, queueId: off.queues.find((q) => q.openToCustomers)!.id }));
    expect(refused.data.submitGuestTicket.__typename).toBe('ForbiddenError');
    const on = await api.gql('query($s: String!) { portalInfo(tenantSlug: $s) { allowGuestTickets guestQueues { id name } } }', { s: t.slug });
    expect(on.data.portalInfo.allowGuestTickets).toBe(true);
    expect(on.data.portalInfo.guestQueues.map((q: { id: string }) => q.id)).toEqual(t.queues.filter((q) => q.openToCustomers && q.active).map((q) => q.id).sort((a, b) => {
      const name = (id: string) => t.queues.find((q) => q.id === id)!.name;
      return name(a).localeCompare(name(b));
    }));
  });

  it('opens a guest ticket with a solved challenge, for a customer created by address, and mails the receipt', async () => {
    const ip = uniqueIp();
    const proof = await solved(ip);
    expect(proof.difficulty).toBe(10);
    expect(leadingZeroBits(proofHash(proof.challenge, proof.solution))).toBeGreaterThanOrEqual(10);
    const input = form({ ...proof, honeypot: '' });
    const res = await submit(ip, input);
    expect(res.data.submitGuestTicket).toMatchObject({ __typename: 'SubmitGuestTicketSuccess', email: input.email });
    const number = res.data.submitGuestTicket.number;

    const ticket = await withTenant(api.services.db, t.tenant.id, (tx) => tx.ticket.findUniqueOrThrow({ where: { tenantId_number: { tenantId: t.tenant.id, number } }, include: { customerUser: true, articles: { orderBy: { createdAt: 'asc' } } } }));
    expect(ticket).toMatchObject({ submittedAsGuest: true, channel: 'PORTAL', submitterIp: ip, title: 'Printer on fire', queueId });
    expect(ticket.customerUser).toMatchObject({ email: input.email, name: 'Gina Guest', passwordHash: null });
    expect(ticket.articles.map((a) => a.senderType)).toEqual(['CUSTOMER', 'SYSTEM']);
    const mails = await outboxTo(api, t.tenant.id, input.email as string);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'AUTO_RESPONSE', ticketId: ticket.id });
    expect(mails[0].subject).toContain(number);
    expect(mails[0].text).toContain('Gina Guest');

    // an agent sees it, marked as a guest submission
    const seen = await api.gql('query($n: String!) { ticket(number: $n) { submittedAsGuest customerUser { email } } }', { n: number }, t.agent.token);
    expect(seen.data.ticket).toEqual({ submittedAsGuest: true, customerUser: { email: input.email } });
  });

  it('writes the built-in receipt in the language of the portal page, else the tenant default', async () => {
    const receipt = async (overrides: Record<string, unknown>) => {
      const ip = uniqueIp();
      const input = form({ ...(await solved(ip)), ...overrides });
      expect((await submit(ip, input)).data.submitGuestTicket.__typename).toBe('SubmitGuestTicketSuccess');
      const mails = await outboxTo(api, t.tenant.id, input.email as string);
      expect(mails).toHaveLength(1);
      return mails[0];
    };
    const de = await receipt({ locale: 'de-DE' });
    expect(de.subject).toContain('Wir haben Ihre Anfrage erhalten: Printer on fire');
    expect(de.text).toContain('Hallo Gina Guest');
    expect((await receipt({ locale: 'ro' })).subject).toContain('Am primit solicitarea dvs.');
    // an unknown language falls back to the tenant's default (English for the fixture)
    expect((await receipt({ locale: 'xx' })).subject).toContain('We received your request');
  });

  it('accepts each challenge once', async () => {
    const ip = uniqueIp();
    const proof = await solved(ip);
    expect((await submit(ip, form(proof))).data.submitGuestTicket.__typename).toBe('SubmitGuestTicketSuccess');
    const replay = await submit(ip, form(proof));
    expect(replay.data.submitGuestTicket).toMatchObject({ __typename: 'SpamCheckFailedError', reason: 'PROOF_REUSED' });
  });

  it('refuses missing, wrong, tampered and expired proofs, and a filled honeypot, without opening tickets', async () => {
    const before = await withTenant(api.services.db, t.tenant.id, (tx) => tx.ticket.count());
    const reasons: string[] = [];
    const attempt = async (input: Record<string, unknown>) => {
      const res = await submit(uniqueIp(), form(input));
      reasons.push(res.data.submitGuestTicket.reason ?? res.data.submitGuestTicket.__typename);
    };
    await attempt({});
    const proof = await solved(uniqueIp());
    let wrong = Number(proof.solution) + 1;
    while (leadingZeroBits(proofHash(proof.challenge, String(wrong))) >= proof.difficulty) wrong++;
    await attempt({ challenge: proof.challenge, solution: String(wrong) });
    // lowering the difficulty in the challenge breaks its signature
    const parts = proof.challenge.split('.');
    parts[3] = '1';
    const easy = parts.join('.');
    await attempt({ challenge: easy, solution: solveChallenge(easy, 1) });
    const old = await issueChallenge(api.services, t.tenant.id, Date.now() - 11 * 60_000);
    await attempt({ challenge: old.challenge, solution: solveChallenge(old.challenge, old.difficulty) });
    await attempt({ ...(await solved(uniqueIp())), honeypot: 'http://spam.example' });
    expect(reasons).toEqual(['PROOF_MISSING', 'PROOF_INVALID', 'PROOF_INVALID', 'PROOF_EXPIRED', 'HONEYPOT']);
    expect(await withTenant(api.services.db, t.tenant.id, (tx) => tx.ticket.count())).toBe(before);
  });

  it('files the ticket for an existing customer and never in a queue closed to customers', async () => {
    const ip = uniqueIp();
    const res = await submit(ip, form({ ...(await solved(ip)), email: t.customer.email.toUpperCase(), name: 'Someone Else' }));
    const number = res.data.submitGuestTicket.number;
    const ticket = await withTenant(api.services.db, t.tenant.id, (tx) => tx.ticket.findFirstOrThrow({ where: { number }, include: { customerUser: true } }));
    expect(ticket.customerUserId).toBe(t.customer.id);
    expect(ticket.customerUser!.name).toBe('Carol Customer');
    expect(ticket.customerCompanyId).toBe(t.customer.companyId);

    const closed = t.queues.find((q) => !q.openToCustomers)!;
    const ip2 = uniqueIp();
    const refused = await submit(ip2, form({ ...(await solved(ip2)), queueId: closed.id }));
    expect(refused.data.submitGuestTicket.__typename).toBe('NotFoundError');
  });

  it('rate-limits per IP (every attempt counts) and per address', async () => {
    const ip = uniqueIp();
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await submit(ip, form(await solved(uniqueIp())))).data.submitGuestTicket.__typename);
    // the first four are refused or accepted on their merits (challenges from another IP are fine), the fifth is limited
    expect(results.slice(0, 4)).toEqual(['SubmitGuestTicketSuccess', 'SubmitGuestTicketSuccess', 'SubmitGuestTicketSuccess', 'SubmitGuestTicketSuccess']);
    expect(results[4]).toBe('RateLimitedError');

    const email = `flood.${Date.now()}@example.com`;
    const perAddress = [];
    for (let i = 0; i < 4; i++) {
      const other = uniqueIp();
      perAddress.push((await submit(other, form({ ...(await solved(other)), email }))).data.submitGuestTicket.__typename);
    }
    expect(perAddress).toEqual(['SubmitGuestTicketSuccess', 'SubmitGuestTicketSuccess', 'SubmitGuestTicketSuccess', 'RateLimitedError']);
  });
});

import { withTenant } from '@parley/db';
import type { Services } from '../services.ts';
import { hashPassword } from '../auth/secrets.ts';
import type { AgentViewer, CustomerViewer } from '../auth/viewer.ts';
import { onboardTenant } from '../tenants/onboard-tenant.ts';
import { createAgent } from '../agents/create-agent.ts';
import { createCustomerUser } from '../customers/create-customer-user.ts';
import { createTicket } from '../tickets/create-ticket.ts';
import { addArticle } from '../tickets/add-article.ts';
import { closeTicket, setTicketPriority, setTicketState } from '../tickets/update-ticket.ts';

export const DEMO = {
  slug: 'acme',
  password: 'demo',
  admin: 'admin@acme.test',
  agent: 'agent@acme.test',
  customer: 'customer@acme.test',
} as const;

const customers = [
  { email: DEMO.customer, name: 'Carla Customer', companyName: 'Globex', seesCompanyTickets: true },
  { email: 'hank@globex.example', name: 'Hank Scorpio', companyName: 'Globex' },
  { email: 'marge@springfield.example', name: 'Marge Bouvier', companyName: 'Springfield Power' },
  { email: 'ivan@zavod.example', name: 'Иван Петров', companyName: 'Завод №1', locale: 'ru' as const },
  { email: 'ana@firma.example', name: 'Ana Popescu', companyName: 'Firma SRL', locale: 'ro' as const },
  { email: 'jens@gmbh.example', name: 'Jens Müller', companyName: 'Müller GmbH', locale: 'de' as const },
];

const stories: Array<{ queue: string; title: string; body: string; customer: number; reply?: string; note?: string; followUp?: string; priority?: number; end?: 'closed' | 'pending' }> = [
  { queue: 'Support', title: 'Cannot log in to the dashboard', body: 'Since this morning the dashboard says my password is wrong, but it works on my phone.', customer: 0, reply: 'Could you clear the browser cache and try again? If it still fails, send us a screenshot.', followUp: 'Clearing the cache fixed it, thanks!', end: 'closed' },
  { queue: 'Support', title: 'Export to CSV produces empty file', body: 'When I export last month\'s orders the CSV only has the header line.', customer: 1, note: 'Reproduced on staging; looks like the date filter uses UTC.', priority: 4 },
  { queue: 'Billing', title: 'Invoice 2026-1043 charged twice', body: 'Our card was charged twice for invoice 2026-1043. Please refund one payment.', customer: 2, reply: 'Sorry about that. The duplicate charge has been refunded; it can take 5–7 days to appear.', end: 'pending', priority: 5 },
  { queue: 'Support', title: 'Не приходят уведомления на почту', body: 'Здравствуйте! Уже неделю не получаем уведомления о новых заказах.', customer: 3, reply: 'Здравствуйте! Проверьте, пожалуйста, папку «Спам» — мы видим, что письма доставлены.' },
  { queue: 'Support', title: 'Nu pot adăuga un utilizator nou', body: 'Bună ziua, butonul „Adaugă utilizator” nu face nimic.', customer: 4 },
  { queue: 'Billing', title: 'Rechnung mit falscher Anschrift', body: 'Guten Tag, auf der letzten Rechnung steht noch unsere alte Adresse.', customer: 5, reply: 'Vielen Dank, wir haben die Anschrift korrigiert und die Rechnung neu ausgestellt.', end: 'closed' },
  { queue: 'Raw', title: 'Question about your API limits', body: 'How many requests per minute does the partner API allow?', customer: 1 },
  { queue: 'Support', title: 'Feature request: dark mode', body: 'Our night shift would love a dark theme.', customer: 0, priority: 2, note: 'Collecting votes for this in the roadmap board.' },
];

/**
 * The demo tenant "acme": queues, an admin, agents, customers of several companies and
 * languages, and tickets in every stage, created through the same use cases as real traffic.
 * Idempotent: when the tenant exists it is left as it is.
 */
export async function seedDemo(services: Pick<Services, 'db' | 'systemDb'>): Promise<{ created: boolean }> {
  const { db } = services;
  if (await services.systemDb.tenant.findUnique({ where: { slug: DEMO.slug } })) return { created: false };
  const { tenant, admin, queues, agentsRoleId } = await onboardTenant(db, {
    slug: DEMO.slug, name: 'Acme Corp', adminEmail: DEMO.admin, adminName: 'Ada Admin', adminPassword: 'temporary-password',
  });
  const tenantId = tenant.id;
  const agent = await createAgent(db, tenantId, { email: DEMO.agent, name: 'Alex Agent', password: 'temporary-password', roleIds: [agentsRoleId] });
  const agent2 = await createAgent(db, tenantId, { email: 'sam@acme.test', name: 'Sam Support', password: 'temporary-password', roleIds: [agentsRoleId], locale: 'de' });
  const people = [];
  for (const c of customers) people.push(await createCustomerUser(db, tenantId, { ...c, password: 'temporary-password' }));

  // The documented demo logins use the password "demo", shorter than the policy allows for
  // real accounts, so it is set here directly.
  const demoHash = await hashPassword(DEMO.password);
  await withTenant(db, tenantId, async (tx) => {
    await tx.tenant.update({ where: { id: tenantId }, data: { mailDomain: 'acme.localhost' } });
    // The demo portal offers self sign-up and the guest form (new tenants start with both off).
    await tx.portalSettings.create({ data: { tenantId, allowSignUp: true, allowGuestTickets: true } });
    await tx.queue.updateMany({ where: { name: 'Support' }, data: { systemAddress: 'support@acme.localhost' } });
    await tx.queue.updateMany({ where: { name: 'Billing' }, data: { systemAddress: 'billing@acme.localhost' } });
    await tx.user.updateMany({ where: { email: { in: [DEMO.admin, DEMO.agent, 'sam@acme.test'] } }, data: { passwordHash: demoHash } });
    await tx.customerUser.updateMany({ where: { email: { in: customers.map((c) => c.email) } }, data: { passwordHash: demoHash } });
    await tx.standardTemplate.createMany({
      data: [
        { tenantId, name: 'Password reset', kind: 'ANSWER', body: 'You can reset your password at any time from the sign-in page ("Forgot password?").' },
        { tenantId, name: 'Closing: solved', kind: 'ANSWER', body: 'We consider this solved. Reply to this message if anything is still wrong.' },
        { tenantId, name: 'Signature snippet', kind: 'SNIPPET', body: 'Best regards,\nThe Acme support team' },
      ],
    });
  });

  const agents: AgentViewer[] = [agent, agent2].map((a) => ({ kind: 'agent', tenantId, userId: a.id, isAdmin: false, apiKey: null, sessionId: null }));
  const adminViewer: AgentViewer = { kind: 'agent', tenantId, userId: admin.id, isAdmin: true, apiKey: null, sessionId: null };
  const states = await withTenant(db, tenantId, (tx) => Promise.all([tx.ticketState.findMany(), tx.priority.findMany()]));
  const meta = { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (demo seed)' };
  for (const [i, s] of stories.entries()) {
    const person = people[s.customer];
    const customer: CustomerViewer = { kind: 'customer', tenantId, customerUserId: person.id, companyId: person.companyId, seesCompanyTickets: person.seesCompanyTickets, sessionId: '' };
    const queueId = queues.find((q) => q.name === s.queue)!.id;
    const ticket = s.queue === 'Raw'
      ? await createTicket({ db, viewer: adminViewer, meta }, { queueId, title: s.title, body: s.body, customerEmail: person.email, channel: 'EMAIL' })
      : await createTicket({ db, viewer: customer, meta }, { queueId, title: s.title, body: s.body, sourceUrl: 'https://acme.example/help' });
    const worker = { db, viewer: agents[i % 2] };
    if (s.priority) await setTicketPriority(worker, { ticketId: ticket.id, priorityId: states[1].find((p) => p.level === s.priority)!.id });
    if (s.note) await addArticle(worker, { ticketId: ticket.id, kind: 'NOTE', body: s.note, timeMinutes: 10 });
    if (s.reply) await addArticle(worker, { ticketId: ticket.id, kind: 'REPLY', body: s.reply, timeMinutes: 15 });
    if (s.followUp) await addArticle({ db, viewer: customer }, { ticketId: ticket.id, kind: 'REPLY', body: s.followUp });
    if (s.end === 'closed') await closeTicket(worker, ticket.id);
    if (s.end === 'pending') {
      const pending = states[0].find((st) => st.type === 'PENDING_REMINDER')!;
      await setTicketState(worker, { ticketId: ticket.id, stateId: pending.id, pendingUntil: new Date(Date.now() + 3 * 86400_000) });
    }
  }
  return { created: true };
}

import { randomUUID } from 'node:crypto';
import { Prisma, withTenant, type Db, type StateType } from '@parley/db';
import { z } from 'zod';
import { ConflictError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { hashPassword } from '../auth/secrets.ts';

export const onboardTenantInput = z.object({
  slug: z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, 'use 3–40 lower-case letters, digits and dashes'),
  name: z.string().trim().min(1).max(200),
  adminEmail: z.email().trim().toLowerCase(),
  adminPassword: z.string().min(8, 'use at least 8 characters').max(200),
  adminName: z.string().trim().min(1).max(200).optional(),
  plan: z.string().trim().min(1).max(50).optional(),
  ticketNumberFormat: z.enum(['date', 'prefix']).optional(),
});
export type OnboardTenantInput = z.input<typeof onboardTenantInput>;

const defaultStates: Array<[string, StateType]> = [
  ['new', 'NEW'], ['open', 'OPEN'], ['pending reminder', 'PENDING_REMINDER'], ['pending auto close', 'PENDING_AUTO_CLOSE'],
  ['closed successful', 'CLOSED'], ['closed unsuccessful', 'CLOSED'], ['merged', 'MERGED'], ['removed', 'REMOVED'],
];
const defaultPriorities: Array<[string, number]> = [['1 very low', 1], ['2 low', 2], ['3 normal', 3], ['4 high', 4], ['5 very high', 5]];
const defaultQueues = [
  { name: 'Raw', ticketPrefix: 'RAW', openToCustomers: false, comment: 'Incoming mail that no filter routed elsewhere' },
  { name: 'Support', ticketPrefix: 'SUP', openToCustomers: true, comment: 'Questions and incidents' },
  { name: 'Billing', ticketPrefix: 'BIL', openToCustomers: true, comment: 'Invoices and payments' },
  { name: 'Junk', ticketPrefix: 'JNK', openToCustomers: false, comment: 'Spam and mail loops' },
];


/**
 * Creates a tenant with sensible defaults: OTRS's states and five priorities, four queues, an
 * agents role with rw on the working queues, a ticket type set, a standard template, and the
 * first admin. Runs entirely under the new tenant's row-level-security scope.
 */
export async function onboardTenant(db: Db, rawInput: OnboardTenantInput) {
  const input = parseInput(onboardTenantInput, rawInput);
  const tenantId = randomUUID();
  const passwordHash = await hashPassword(input.adminPassword);
  try {
    return await withTenant(db, tenantId, async (tx) => {
      const tenant = await tx.tenant.create({
        data: { id: tenantId, slug: input.slug, name: input.name, plan: input.plan ?? 'free', ticketNumberFormat: input.ticketNumberFormat ?? 'date' },
      });
      await tx.ticketState.createMany({ data: defaultStates.map(([name, type]) => ({ tenantId, name, type })) });
      await tx.priority.createMany({ data: defaultPriorities.map(([name, level]) => ({ tenantId, name, level })) });
      await tx.ticketType.createMany({ data: ['Unclassified', 'Incident', 'Service request', 'Problem'].map((name) => ({ tenantId, name })) });
      const queues = await tx.queue.createManyAndReturn({
        data: defaultQueues.map((q) => ({ tenantId, ...q, salutation: 'Hello {{customer.name}},', signature: `Your ${input.name} support team` })),
      });
      const role = await tx.role.create({ data: { tenantId, name: 'Agents' } });
      await tx.queuePermission.createMany({
        data: queues.filter((q) => q.name !== 'Junk').map((q) => ({ tenantId, roleId: role.id, queueId: q.id, permissions: ['RW' as const] })),
      });
      await tx.standardTemplate.create({
        data: { tenantId, name: 'Thank you', kind: 'ANSWER', body: 'Thank you for your message. We are looking into it and will get back to you shortly.' },
      });
      const admin = await tx.user.create({
        data: { tenantId, email: input.adminEmail, name: input.adminName ?? 'Administrator', passwordHash, kind: 'ADMIN' },
      });
      await tx.userRole.create({ data: { tenantId, userId: admin.id, roleId: role.id } });
      return { tenant, admin, queues, agentsRoleId: role.id };
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
      throw new ConflictError(`A tenant with the slug "${input.slug}" already exists`);
    }
    throw e;
  }
}

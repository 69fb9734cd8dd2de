import { randomUUID } from 'node:crypto';
import { Prisma, withTenant, type Db, type TenantTx } from '@parley/db';
import { z } from 'zod';
import { hashPassword } from '../auth/secrets.ts';
import { ConflictError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { grantRegistrationIncidents } from '../billing/support-plans.ts';

export const createCustomerUserInput = z.object({
  email: z.email().trim().toLowerCase(),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(8).max(200).optional(),
  companyName: z.string().trim().min(1).max(200).optional(),
  seesCompanyTickets: z.boolean().default(false),
  locale: z.enum(['en', 'de', 'ru', 'ro']).optional(),
});

/** Registers a customer (portal sign-up, admin, or import), creating the company if named. */
export async function createCustomerUser(db: Db, tenantId: string, raw: z.input<typeof createCustomerUserInput>) {
  const input = parseInput(createCustomerUserInput, raw);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    return await withTenant(db, tenantId, async (tx) => {
      const company = input.companyName
        ? await tx.customerCompany.upsert({
          where: { tenantId_name: { tenantId, name: input.companyName } },
          create: { tenantId, name: input.companyName }, update: {},
        })
        : null;
      const customer = await tx.customerUser.create({
        data: { tenantId, email: input.email, name: input.name, passwordHash, companyId: company?.id, seesCompanyTickets: input.seesCompanyTickets, locale: input.locale },
      });
      await grantRegistrationIncidents(tx, tenantId, customer.id);
      return customer;
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError(`A customer with the e-mail ${input.email} exists already`);
    throw e;
  }
}

/**
 * The customer behind an e-mail address, created on first contact (mail, phone ticket). An
 * atomic INSERT … ON CONFLICT, so concurrent first contacts from one address make one customer.
 * A customer created here gets the default plan's registration incidents, as one registered
 * through createCustomerUser does (same transaction, same grant).
 */
export async function findOrCreateCustomerByEmail(tx: TenantTx, tenantId: string, email: string, name?: string | null) {
  const normalized = email.trim().toLowerCase();
  const displayName = name?.trim() || normalized.split('@')[0];
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "CustomerUser" ("id", "tenantId", "email", "name", "updatedAt")
    VALUES (${randomUUID()}::uuid, ${tenantId}::uuid, ${normalized}, ${displayName}, now())
    ON CONFLICT ("tenantId", "email") DO NOTHING
    RETURNING "id"`;
  if (inserted.length) await grantRegistrationIncidents(tx, tenantId, inserted[0].id);
  return tx.customerUser.findUniqueOrThrow({ where: { tenantId_email: { tenantId, email: normalized } } });
}

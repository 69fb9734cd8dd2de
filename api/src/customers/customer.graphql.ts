import { builder } from '../graphql/builder.ts';
import { ConflictError, ValidationError } from '../errors/app-error.ts';
import { agentContext } from '../graphql/use-case-context.ts';
import { createCustomerUser } from './create-customer-user.ts';

export const CustomerCompanyType = builder.prismaObject('CustomerCompany', {
  fields: (t) => ({ id: t.exposeID('id'), name: t.exposeString('name') }),
});

export const CustomerUserType = builder.prismaObject('CustomerUser', {
  name: 'Customer',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    email: t.exposeString('email'),
    company: t.relation('company', { nullable: true }),
  }),
});

const CreateCustomerInput = builder.inputType('CreateCustomerInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    name: t.string({ required: true }),
    password: t.string(),
    companyName: t.string(),
    seesCompanyTickets: t.boolean(),
  }),
});

builder.mutationField('createCustomer', (t) => t.prismaField({
  type: CustomerUserType,
  authScopes: { agentWrite: true },
  errors: { types: [ValidationError, ConflictError], dataField: { name: 'customer' } },
  args: { input: t.arg({ type: CreateCustomerInput, required: true }) },
  resolve: (_query, _root, { input }, ctx) => createCustomerUser(ctx.services.db, agentContext(ctx).viewer.tenantId, {
    email: input.email, name: input.name, password: input.password ?? undefined,
    companyName: input.companyName ?? undefined, seesCompanyTickets: input.seesCompanyTickets ?? false,
  }),
}));

import { builder } from '../graphql/builder.ts';
import { ForbiddenError, UnauthenticatedError, ValidationError } from '../errors/app-error.ts';
import { setMyLocale } from './set-my-locale.ts';

const SetMyLocaleInput = builder.inputType('SetMyLocaleInput', {
  fields: (t) => ({ locale: t.string({ required: true, description: 'en, de, ru or ro' }) }),
});

builder.mutationField('setMyLocale', (t) => t.string({
  description: 'Save the language of the signed-in agent or customer (applied at their next sign-in)',
  authScopes: { tenantMember: true },
  errors: { types: [ValidationError, ForbiddenError], dataField: { name: 'locale' } },
  args: { input: t.arg({ type: SetMyLocaleInput, required: true }) },
  resolve: (_root, { input }, ctx) => {
    const v = ctx.viewer;
    if (v.kind !== 'agent' && v.kind !== 'customer') throw new UnauthenticatedError();
    if (v.kind === 'agent' && v.apiKey) throw new ForbiddenError('An API key has no language of its own');
    return setMyLocale(ctx.services.db, v, { locale: input.locale });
  },
}));

// The web app's portal GraphQL documents are valid against the API schema (a fragment on a type
// that is not in a union is a validation error that would only show at runtime).
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { schema } from '@parley/api/graphql/schema.ts';
import * as ops from '../../web/src/lib/graphql/portal-accounts.ts';

// The schema is built by Pothos with graphql's CommonJS build; validate with the same instance.
const { parse, validate } = createRequire(import.meta.url)('graphql') as typeof import('graphql');

describe('web portal operations', () => {
  const documents = (Object.entries(ops) as [string, unknown][]).filter((e): e is [string, string] => typeof e[1] === 'string');
  it('are all checked', () => expect(documents.length).toBeGreaterThanOrEqual(10));
  for (const [name, doc] of documents) {
    it(`${name} validates`, () => {
      expect(validate(schema, parse(doc)).map((e) => e.message)).toEqual([]);
    });
  }
});

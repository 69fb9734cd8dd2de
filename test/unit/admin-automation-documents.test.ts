// Every GraphQL document the admin automation pages send is valid against the API's schema (a
// fragment on an error type outside a mutation's union, a misspelt field … fail here, not in the browser).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { schema } from '@parley/api/graphql/schema.ts';
import * as documents from '../../web/src/lib/graphql/adminAutomation.ts';

// the api package's own graphql (the schema's instance), not the test package's copy
const { parse, validate } = createRequire(fileURLToPath(import.meta.resolve('@parley/api/graphql/schema.ts')))('graphql') as typeof import('graphql');
const operations = Object.entries(documents).filter(([, v]) => typeof v === 'string' && /^\s*(query|mutation)\b/.test(v)) as [string, string][];

it('finds the documents', () => {
  expect(operations.length).toBeGreaterThanOrEqual(20);
});

it.each(operations)('%s validates against the schema', (_name, source) => {
  expect(validate(schema, parse(source)).map((e) => e.message)).toEqual([]);
});

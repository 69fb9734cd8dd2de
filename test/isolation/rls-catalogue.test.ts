import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// The database's own catalogue, read as the owner: a table the app role can reach must have
// row-level security enabled AND forced, and every foreign key between two tenant tables must
// carry tenantId, so no row can point into another tenant. A new table that forgets either fails here.
let admin: pg.Client;
let app: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: inject('db').adminUrl });
  app = new pg.Client({ connectionString: inject('db').appUrl });
  await Promise.all([admin.connect(), app.connect()]);
});
afterAll(async () => { await Promise.all([admin.end(), app.end()]); });

describe('row-level security catalogue', () => {
  it('every table the app role may read has RLS enabled and forced', async () => {
    const { rows } = await admin.query(`
      SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r'
         AND has_table_privilege('parley_app', c.oid, 'SELECT')`);
    expect(rows.length).toBeGreaterThan(40);
    const unprotected = rows.filter((r) => !r.relrowsecurity || !r.relforcerowsecurity).map((r) => r.relname);
    expect(unprotected).toEqual([]);
  });

  it('every table with a tenantId column has a tenant policy', async () => {
    const { rows } = await admin.query(`
      SELECT c.relname
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenantId' AND NOT a.attisdropped
       WHERE c.relkind = 'r' AND has_table_privilege('parley_app', c.oid, 'SELECT')
         AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid)`);
    expect(rows.map((r) => r.relname)).toEqual([]);
  });

  it('the app role cannot read platform tables at all', async () => {
    for (const table of ['TenantSubscription', 'StripeEvent', 'TenantStatusChange']) {
      await expect(app.query(`SELECT count(*) FROM "${table}"`)).rejects.toThrow(/permission denied/);
    }
  });

  it('foreign keys between tenant tables include tenantId', async () => {
    const { rows } = await admin.query(`
      SELECT con.conname, src.relname AS source, dst.relname AS target,
             array(SELECT a.attname FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k) AS columns
        FROM pg_constraint con
        JOIN pg_class src ON src.oid = con.conrelid
        JOIN pg_class dst ON dst.oid = con.confrelid
        JOIN pg_namespace n ON n.oid = src.relnamespace
       WHERE con.contype = 'f' AND n.nspname = 'public'
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = con.conrelid AND a.attname = 'tenantId')
         AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = con.confrelid AND a.attname = 'tenantId')`);
    expect(rows.length).toBeGreaterThan(30);
    const single = rows.filter((r) => !r.columns.includes('tenantId')).map((r) => `${r.source}.${r.conname} -> ${r.target}`);
    expect(single).toEqual([]);
  });
});

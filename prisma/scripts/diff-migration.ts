// Writes the next migration by diffing the last migrated schema snapshot against schema.prisma,
// with Prisma's own wasm schema engine (the native engine cannot be downloaded here).
//
//   DATABASE_URL=postgres://... node prisma/scripts/diff-migration.ts <name>
//
// The database is only used as the engine's connector; the diff is schema file to schema file.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';

const root = path.resolve(import.meta.dirname, '..');
const snapshotPath = path.join(root, 'migrations', 'schema.snapshot.prisma');
const name = process.argv[2];
const url = process.env.DATABASE_URL;
if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: diff-migration.ts <snake_case_name>');
if (!url) throw new Error('DATABASE_URL must point at any PostgreSQL (used as the engine connector)');

const current = await readFile(path.join(root, 'schema.prisma'), 'utf8');
const previous = existsSync(snapshotPath) ? await readFile(snapshotPath, 'utf8') : null;
const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPg({ connectionString: url }));
const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', current]] }, () => {}, adapter);
const result = await engine.diff({
  from: previous ? { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: previous }] } : { tag: 'empty' },
  to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: current }] },
  script: true,
  exitCode: null,
  filters: { externalTables: [], externalEnums: [] },
});
const sql = result.stdout ?? '';
if (!sql.trim() || sql.includes('This is an empty migration')) {
  console.log('schema.prisma matches the last migration; nothing to write');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(root, 'migrations', `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, 'migration.sql'), sql);
await writeFile(snapshotPath, current);
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
process.exit(0);

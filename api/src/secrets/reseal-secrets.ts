import { withTenant, type Db, type TenantTx } from '@parley/db';
import type { Logger } from '../logger.ts';
import { SECRET_COLUMNS, SecretDecryptError, type SecretBox, type SecretColumn } from './secret-box.ts';

// Brings every stored tenant secret to the current SECRETS_KEY: legacy plaintext (rows written
// before encryption at rest) is encrypted, values sealed with a key in SECRETS_KEY_PREVIOUS are
// re-encrypted (key rotation). Idempotent: values sealed with the current key are not touched,
// so running it again finds nothing. Run by the worker's `secrets.reseal.v1` job (at start and
// every hour) — see api/src/secrets/README.md.

export interface ResealCount { resealed: number; failed: number }
export type ResealResult = Record<SecretColumn, ResealCount>;

interface Deps { db: Db; systemDb: Db; secrets: SecretBox; log: Logger }

type Candidate = { tenantId: string; key: string; value: string };

const BATCH = 200;

/**
 * Finds the rows not yet sealed with the current key through the system role (all tenants; the
 * value itself is only read), then writes each new value through the tenant's row-level security
 * as a compare-and-set on the old value: a password an admin changed meanwhile is left as the
 * admin set it (already sealed with the current key).
 */
export async function resealSecrets(deps: Deps, opts: { batch?: number; /** only this tenant's rows */ tenantId?: string } = {}): Promise<ResealResult> {
  const batch = opts.batch ?? BATCH;
  const only = opts.tenantId ? { tenantId: opts.tenantId } : {};
  const prefix = `enc:v1:${deps.secrets.currentKeyId}:`;
  const result = {} as ResealResult;

  result[SECRET_COLUMNS.mailAccountPassword] = await resealColumn(deps, SECRET_COLUMNS.mailAccountPassword, async (after) => {
    const rows = await deps.systemDb.mailAccount.findMany({
      where: { ...only, NOT: { password: { startsWith: prefix } }, ...(after ? { id: { gt: after } } : {}) },
      select: { tenantId: true, id: true, password: true }, orderBy: { id: 'asc' }, take: batch,
    });
    return rows.map((r) => ({ tenantId: r.tenantId, key: r.id, value: r.password }));
  }, (tx, c, sealed) => tx.mailAccount.updateMany({ where: { id: c.key, password: c.value }, data: { password: sealed } }));

  result[SECRET_COLUMNS.smtpPassword] = await resealColumn(deps, SECRET_COLUMNS.smtpPassword, async (after) => {
    const rows = await deps.systemDb.mailSettings.findMany({
      where: { smtpPassword: { not: null }, NOT: { smtpPassword: { startsWith: prefix } }, AND: [only, after ? { tenantId: { gt: after } } : {}] },
      select: { tenantId: true, smtpPassword: true }, orderBy: { tenantId: 'asc' }, take: batch,
    });
    return rows.map((r) => ({ tenantId: r.tenantId, key: r.tenantId, value: r.smtpPassword! }));
  }, (tx, c, sealed) => tx.mailSettings.updateMany({ where: { tenantId: c.key, smtpPassword: c.value }, data: { smtpPassword: sealed } }));

  result[SECRET_COLUMNS.webhookSecret] = await resealColumn(deps, SECRET_COLUMNS.webhookSecret, async (after) => {
    const rows = await deps.systemDb.webhook.findMany({
      where: { ...only, NOT: { secret: { startsWith: prefix } }, ...(after ? { id: { gt: after } } : {}) },
      select: { tenantId: true, id: true, secret: true }, orderBy: { id: 'asc' }, take: batch,
    });
    return rows.map((r) => ({ tenantId: r.tenantId, key: r.id, value: r.secret }));
  }, (tx, c, sealed) => tx.webhook.updateMany({ where: { id: c.key, secret: c.value }, data: { secret: sealed } }));

  return result;
}

async function resealColumn(
  deps: Deps, column: SecretColumn,
  page: (after: string | null) => Promise<Candidate[]>,
  write: (tx: TenantTx, c: Candidate, sealed: string) => Promise<{ count: number }>,
): Promise<ResealCount> {
  const count: ResealCount = { resealed: 0, failed: 0 };
  let after: string | null = null;
  for (;;) {
    const rows = await page(after);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].key;
    for (const c of rows) {
      const ctx = { tenantId: c.tenantId, column };
      let sealed: string;
      try {
        sealed = deps.secrets.seal(deps.secrets.open(c.value, ctx), ctx);
      } catch (err) {
        if (!(err instanceof SecretDecryptError)) throw err;
        // Sealed with a key that is gone, or altered: only the admin entering it again helps. Never log the value.
        count.failed++;
        deps.log.warn({ column, tenantId: c.tenantId, row: c.key, err: err.message }, 'stored secret does not decrypt; left as it is');
        continue;
      }
      const { count: written } = await withTenant(deps.db, c.tenantId, (tx) => write(tx, c, sealed));
      count.resealed += written;
    }
  }
  return count;
}

import { z } from 'zod';
import { withCredentials, APP_ROLE, SYSTEM_ROLE } from '@parley/db/migrate.ts';
import { decodeSecretsKey } from './secrets/secret-box.ts';

const KEY_HINT = '32 random bytes, base64-encoded (generate one: openssl rand -base64 32)';
const secretsKey = z.string({ error: `required: ${KEY_HINT}` }).refine((v) => decodeSecretsKey(v) !== null, { message: `must be ${KEY_HINT}` });

/**
 * The API's configuration, validated at boot. A bad value fails fast with a message naming the
 * variable. Secrets are listed in `secretKeys` and never logged.
 */
const schema = z.object({
  DATABASE_URL: z.url({ message: 'must be a postgres:// URL (the migrating/admin connection)' }).optional(),
  DATABASE_APP_URL: z.url().optional(),
  DATABASE_SYSTEM_URL: z.url().optional(),
  DB_APP_PASSWORD: z.string().default('parley_app'),
  DB_SYSTEM_PASSWORD: z.string().default('parley_system'),
  REDIS_URL: z.url().default('redis://127.0.0.1:63799'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PROVIDER_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  SESSION_TTL_HOURS: z.coerce.number().positive().default(24 * 14),
  LOGIN_ATTEMPTS_PER_15_MIN: z.coerce.number().int().positive().default(10),
  LOGIN_ATTEMPTS_PER_IP_15_MIN: z.coerce.number().int().positive().default(100),
  /** Peers allowed to set X-Forwarded-For (the web app's server runs on the same host by default) */
  TRUSTED_PROXIES: z.string().default('127.0.0.1,::1,::ffff:127.0.0.1'),
  API_KEY_REQUESTS_PER_MIN: z.coerce.number().int().positive().default(600),
  MAX_QUERY_COMPLEXITY: z.coerce.number().int().positive().default(2000),
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(12),
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(2 * 1024 * 1024),
  DB_POOL_SIZE: z.coerce.number().int().positive().default(20),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_ORIGINS: z.string().default('http://127.0.0.1:3000,http://localhost:3000'),
  /** Every tenant receives mail at support@<slug>.<MAIL_DOMAIN> (unless it set a mail domain of its own) */
  MAIL_DOMAIN: z.string().trim().toLowerCase().min(1).default('localhost'),
  /** The built-in SMTP receiver, run by the worker process; 0 turns it off */
  MAIL_SMTP_PORT: z.coerce.number().int().min(0).max(65535).default(2525),
  MAIL_SMTP_HOST: z.string().default('127.0.0.1'),
  /** Largest mail accepted (SMTP SIZE, HTTP ingest, IMAP) */
  MAIL_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Outgoing SMTP for tenants without SMTP settings of their own, e.g. smtp://127.0.0.1:25 */
  MAIL_RELAY_URL: z.string().default('smtp://127.0.0.1:25'),
  /** Where attachment and raw-mail bytes are stored (local disk; S3-compatible later) */
  ATTACHMENT_DIR: z.string().default('.data/attachments'),
  /** Largest single file accepted by POST /attachments */
  ATTACHMENT_MAX_FILE_BYTES: z.coerce.number().int().positive().default(20 * 1024 * 1024),
  /** Largest POST /attachments request (all its files together) */
  ATTACHMENT_MAX_REQUEST_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** Most files per upload request, and per article */
  ATTACHMENT_MAX_FILES: z.coerce.number().int().positive().max(100).default(10),
  /** Upload requests per account per minute */
  ATTACHMENT_UPLOADS_PER_MIN: z.coerce.number().int().positive().default(60),
  /** Uploaded files not attached to an article within this time are deleted by the worker */
  ATTACHMENT_UPLOAD_TTL_HOURS: z.coerce.number().positive().default(24),
  /** How long the mail pipeline caches a tenant's mail settings, filters, queues and auto-responses (0 = no cache) */
  MAIL_CONTEXT_CACHE_MS: z.coerce.number().int().min(0).default(5000),
  /** A mail marked SENDING by a worker that died is sent again after this many seconds (> SMTP timeouts) */
  MAIL_SEND_LEASE_SECONDS: z.coerce.number().int().positive().default(120),
  /** After fetching, an IMAP poll job waits this long in IDLE (servers that have it) for more mail; 0 = plain polling */
  MAIL_IMAP_IDLE_SECONDS: z.coerce.number().int().min(0).max(3600).default(0),
  /** BullMQ key prefix shared by the API (producer) and the worker */
  QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('parley'),
  /** Enqueue a worker job per ticket event (SLA, webhooks); off only for tools and tests without a worker */
  EVENT_FAN_OUT: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Let webhooks call loopback/private/link-local addresses (on-premises installs, tests); off in SaaS */
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Base URL of the web app, for links in mail and Stripe return URLs (default: the first WEB_ORIGINS entry) */
  PUBLIC_WEB_URL: z.url().optional(),
  /** Stripe (billing is disabled, with a clear error, when no key is set) */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** Webhook signing secret(s), comma-separated (platform and Connect endpoints have one each) */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  STRIPE_API_HOST: z.string().optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  /** The provider's cut of customers' payments to tenants (Connect application fee), percent */
  STRIPE_APPLICATION_FEE_PERCENT: z.coerce.number().min(0).max(100).default(0),
  /** Provider plans: JSON {"team": "price_…", "business": "price_…"} of Stripe price ids */
  STRIPE_PLAN_PRICES: z.string().optional(),
  /** HMAC key for proof-of-work challenges and account links; unset: a random key kept in Redis (shared by all API instances) */
  PORTAL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Leading zero bits a guest-form proof of work needs (each bit doubles the browser's work; 16 ≈ 65k SHA-256 on average) */
  PORTAL_POW_DIFFICULTY: z.coerce.number().int().min(1).max(30).default(16),
  /** Customer sign-ups and password-reset requests per IP and hour */
  PORTAL_ACCOUNT_REQUESTS_PER_IP_HOUR: z.coerce.number().int().positive().default(20),
  /** Account mails (verification, reset, "you have an account") per address and hour */
  PORTAL_ACCOUNT_MAILS_PER_ADDRESS_HOUR: z.coerce.number().int().positive().default(3),
  /** Guest-form tickets per IP and hour, and per e-mail address and hour */
  PORTAL_GUEST_TICKETS_PER_IP_HOUR: z.coerce.number().int().positive().default(10),
  PORTAL_GUEST_TICKETS_PER_ADDRESS_HOUR: z.coerce.number().int().positive().default(5),
  /** Proof-of-work challenges handed out per IP and 10 minutes */
  PORTAL_CHALLENGES_PER_IP_10_MIN: z.coerce.number().int().positive().default(60),
  /** Pay-per-request: the event name of the meter on each tenant's connected account (created on first use) */
  STRIPE_METER_EVENT_NAME: z.string().regex(/^[a-z0-9_]{1,100}$/).default('parley_support_request'),
  /**
   * Encrypts tenant secrets at rest (IMAP/SMTP passwords, webhook signing secrets; AES-256-GCM).
   * Losing it makes those unreadable: back it up, but never next to the database backups
   * (a dump plus the key is the plaintext). api/src/secrets/README.md
   */
  SECRETS_KEY: secretsKey,
  /** Key rotation: the former SECRETS_KEY (comma-separated for more); values sealed with it still decrypt until re-encrypted */
  SECRETS_KEY_PREVIOUS: z.string().optional().refine(
    (v) => !v || v.split(',').every((k) => !k.trim() || decodeSecretsKey(k) !== null),
    { message: `each comma-separated key must be ${KEY_HINT}` },
  ),
  /** Rating links in reply mail stay valid this long */
  RATING_LINK_TTL_DAYS: z.coerce.number().int().positive().default(30),
});

export const secretKeys = ['DATABASE_URL', 'DATABASE_APP_URL', 'DATABASE_SYSTEM_URL', 'DB_APP_PASSWORD', 'DB_SYSTEM_PASSWORD', 'PROVIDER_TOKEN', 'REDIS_URL', 'MAIL_RELAY_URL', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'PORTAL_SECRET', 'SECRETS_KEY', 'SECRETS_KEY_PREVIOUS'] as const;

export type ApiConfig = ReturnType<typeof loadConfig>;

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const appUrl = c.DATABASE_APP_URL ?? (c.DATABASE_URL && withCredentials(c.DATABASE_URL, APP_ROLE, c.DB_APP_PASSWORD));
  const systemUrl = c.DATABASE_SYSTEM_URL ?? (c.DATABASE_URL && withCredentials(c.DATABASE_URL, SYSTEM_ROLE, c.DB_SYSTEM_PASSWORD));
  if (!appUrl || !systemUrl) {
    throw new ConfigError('invalid configuration:\n  DATABASE_URL: required (or both DATABASE_APP_URL and DATABASE_SYSTEM_URL)');
  }
  return {
    ...c,
    appDatabaseUrl: appUrl,
    systemDatabaseUrl: systemUrl,
    trustedProxies: new Set(c.TRUSTED_PROXIES.split(',').map((s) => s.trim()).filter(Boolean)),
    webOrigins: c.WEB_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean),
    publicWebUrl: (c.PUBLIC_WEB_URL ?? c.WEB_ORIGINS.split(',')[0].trim()).replace(/\/$/, ''),
    secretsKeys: {
      current: decodeSecretsKey(c.SECRETS_KEY)!,
      previous: (c.SECRETS_KEY_PREVIOUS ?? '').split(',').filter((k) => k.trim()).map((k) => decodeSecretsKey(k)!),
    },
  };
}

/** For process entry points: the configuration, or exit 78 (EX_CONFIG) with the message. */
export function loadConfigOrExit(env: Record<string, string | undefined> = process.env) {
  try {
    return loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
}

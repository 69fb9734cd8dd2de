import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { SMTPServer } from 'smtp-server';
import nodemailer from 'nodemailer';
import { withTenant } from '@parley/db';
import { simpleParser } from 'mailparser';
import { startTestApi, type TestApi } from './api.ts';

export interface SunkMail { from: string; to: string[]; raw: Buffer; messageId: string; subject: string; text: string; inReplyTo: string | null; headers: Map<string, unknown>; /** when the sink accepted it (Date.now()) */ receivedAt: number }

export interface SmtpSink {
  port: number;
  url: string;
  mails: SunkMail[];
  /** Make the next n deliveries fail with this SMTP code */
  failNext(n: number, code?: number): void;
  /** Hold the answer to the next n deliveries back for ms (a slow server) */
  delayNext(n: number, ms: number): void;
  waitFor(pred: (m: SunkMail[]) => boolean, timeoutMs?: number): Promise<SunkMail[]>;
  close(): Promise<void>;
}

/** A local SMTP server (smtp-server) that records every mail it accepts: the outgoing side's far end. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: SunkMail[] = [];
  let failing = 0;
  let failCode = 451;
  let delaying = 0;
  let delayMs = 0;
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['AUTH', 'STARTTLS'], logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (failing > 0) {
          failing--;
          return callback(Object.assign(new Error('sink says no'), { responseCode: failCode }));
        }
        if (delaying > 0) {
          delaying--;
          await new Promise((r) => setTimeout(r, delayMs));
        }
        const raw = Buffer.concat(chunks);
        const parsed = await simpleParser(raw);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw,
          messageId: parsed.messageId ?? '', subject: parsed.subject ?? '', text: parsed.text ?? '', inReplyTo: (parsed.inReplyTo as string | undefined) ?? null, headers: parsed.headers, receivedAt: Date.now(),
        });
        callback();
      });
    },
  });
  server.on('error', () => { /* a client vanishing mid-session (killed worker) is expected */ });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)));
  return {
    port, url: `smtp://127.0.0.1:${port}`, mails,
    failNext(n, code = 451) { failing = n; failCode = code; },
    delayNext(n, ms) { delaying = n; delayMs = ms; },
    async waitFor(pred, timeoutMs = 30_000) {
      const end = Date.now() + timeoutMs;
      while (!pred(mails)) {
        if (Date.now() > end) throw new Error(`sink: condition not met in ${timeoutMs} ms (${mails.length} mails)`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return mails;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Sends raw bytes to an SMTP server with an explicit envelope (what a remote MTA does). */
export async function deliverSmtp(port: number, envelope: { from: string; to: string[] }, raw: Buffer | string) {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true } as never);
  try {
    return await t.sendMail({ envelope, raw: typeof raw === 'string' ? Buffer.from(raw) : raw });
  } finally {
    t.close();
  }
}

/** A test API whose mail settings point at a fresh BullMQ prefix, a temp blob dir and the given relay. */
export async function startMailTestApi(overrides: Record<string, string> = {}): Promise<TestApi & { prefix: string }> {
  const prefix = `m${randomBytes(4).toString('hex')}`;
  const blobDir = mkdtempSync(join(tmpdir(), 'parley-blobs-'));
  const api = await startTestApi({
    QUEUE_PREFIX: prefix,
    ATTACHMENT_DIR: blobDir,
    MAIL_SMTP_PORT: '0',
    MAIL_SEND_LEASE_SECONDS: '5',
    MAIL_CONTEXT_CACHE_MS: '0',
    ...overrides,
  });
  const close = api.close;
  return Object.assign(api, { prefix, close: async () => { await close(); rmSync(blobDir, { recursive: true, force: true }); } });
}

let seq = 0;
/** A small RFC 822 mail. */
export function mail(p: { from: string; to: string; subject: string; body?: string; messageId?: string; inReplyTo?: string; references?: string[]; headers?: Record<string, string> }) {
  const id = p.messageId ?? `<t${Date.now().toString(36)}.${++seq}.${randomBytes(4).toString('hex')}@customer.example>`;
  const lines = [
    `From: ${p.from}`, `To: ${p.to}`, `Subject: ${p.subject}`, `Date: ${new Date().toUTCString()}`, `Message-ID: ${id}`,
    ...(p.inReplyTo ? [`In-Reply-To: ${p.inReplyTo}`] : []),
    ...(p.references ? [`References: ${p.references.join(' ')}`] : []),
    ...Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', p.body ?? 'Hello, something is broken.', '',
  ];
  return { raw: Buffer.from(lines.join('\r\n')), messageId: id };
}

/** Sets tenant mail settings directly (tests). */
export async function setMailSettings(api: TestApi, tenantId: string, data: Record<string, unknown>) {
  await withTenant(api.services.db, tenantId, (tx) => tx.mailSettings.upsert({ where: { tenantId }, create: { tenantId, ...data }, update: data }));
}

export async function waitUntil<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

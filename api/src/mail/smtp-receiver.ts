import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { Services } from '../services.ts';
import { storeRawMail } from './inbound/store-raw-mail.ts';
import { resolveRecipient, type RecipientTarget } from './tenant-mail.ts';

export interface SmtpReceiver {
  port: number;
  close(): Promise<void>;
}

type Session = SMTPServerSession & { parleyTargets?: RecipientTarget[] };

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/**
 * The built-in SMTP receiver (smtp-server), run by the worker process (MAIL_SMTP_PORT, default
 * 2525; 0 = off). It accepts mail only for the tenants' addresses: a verified system address or
 * support@<slug>.<MAIL_DOMAIN>; unknown recipients are refused at RCPT time (550). The bytes
 * are stored (storeRawMail) BEFORE the 250 reply, one copy per tenant among the recipients, so
 * an accepted mail is never lost; a storage failure answers 451 and the sender retries.
 * No AUTH: this is an inbound MX-style receiver; put TLS termination in front of it if exposed.
 */
export async function startSmtpReceiver(services: Services, opts: { port?: number; host?: string } = {}): Promise<SmtpReceiver> {
  const { config, log } = services;
  const server = new SMTPServer({
    name: config.MAIL_DOMAIN,
    banner: 'Parley mail receiver',
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: config.MAIL_MAX_BYTES,
    logger: false,
    socketTimeout: 60_000,
    onRcptTo(address: SMTPServerAddress, session: Session, callback: (err?: Error | null) => void) {
      resolveRecipient(services.systemDb, address.address, config.MAIL_DOMAIN).then((target) => {
        if (!target) return callback(smtpError(`5.1.1 <${address.address}>: no such mailbox here`, 550));
        (session.parleyTargets ??= []).push(target);
        callback();
      }, (err) => {
        log.error({ err: (err as Error).message }, 'smtp: recipient lookup failed');
        callback(smtpError('4.3.0 temporary failure, try again later', 451));
      });
    },
    onData(stream, session: Session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) return callback(smtpError('5.3.4 message too large', 552));
        const raw = Buffer.concat(chunks);
        const byTenant = new Map<string, string[]>();
        for (const t of session.parleyTargets ?? []) byTenant.set(t.tenantId, [...(byTenant.get(t.tenantId) ?? []), t.address]);
        const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
        Promise.all([...byTenant].map(([tenantId, recipients]) => storeRawMail(services, {
          tenantId, source: 'SMTP', raw, recipients, envelopeFrom, remoteAddress: session.remoteAddress,
        }))).then(() => callback(null, 'Stored'), (err) => {
          log.error({ err: (err as Error).message }, 'smtp: could not store mail');
          callback(smtpError('4.3.0 could not store the message, try again later', 451));
        });
      });
    },
  });
  server.on('error', (err) => log.warn({ err: err.message }, 'smtp receiver error'));
  const port = await new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    // reusePort: several worker processes on one machine share the port and the kernel spreads
    // connections among them (SO_REUSEPORT), so scaling out the worker needs no port per process.
    server.server.listen({ port: opts.port ?? config.MAIL_SMTP_PORT, host: opts.host ?? config.MAIL_SMTP_HOST, reusePort: true }, () => {
      const a = server.server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    });
  });
  log.info({ port }, 'SMTP receiver listening');
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

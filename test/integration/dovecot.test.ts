import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDovecot } from '../support/dovecot.ts';
import type { Dovecot } from '../support/dovecot.ts';

describe('private Dovecot IMAP server', () => {
  let dovecot: Dovecot;

  beforeAll(async () => {
    dovecot = await ensureDovecot({ users: [{ user: 'support@acme.test', password: 'secret' }] });
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  const connect = (user: string, pass: string) =>
    new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user, pass }, logger: false });

  it('stores an appended message and fetches it back', async () => {
    const client = connect('support@acme.test', 'secret');
    await client.connect();
    try {
      const raw = ['From: Ann <ann@customer.test>', 'To: support@acme.test', 'Subject: Printer on fire', 'Message-ID: <t1@customer.test>', '', 'Please help.', ''].join('\r\n');
      await client.append('INBOX', raw);
      const lock = await client.getMailboxLock('INBOX');
      try {
        const messages = [];
        for await (const message of client.fetch('1:*', { envelope: true, source: true })) messages.push(message);
        expect(messages).toHaveLength(1);
        expect(messages[0].envelope?.subject).toBe('Printer on fire');
        expect(messages[0].source?.toString()).toContain('Please help.');
      } finally {
        lock.release();
      }
    } finally {
      await client.logout();
    }
  });

  it('accepts a user added while running and rejects a wrong password', async () => {
    await dovecot.addUser({ user: 'billing@acme.test', password: 'other' });
    const client = connect('billing@acme.test', 'other');
    await client.connect();
    expect(await client.status('INBOX', { messages: true })).toMatchObject({ messages: 0 });
    await client.logout();

    await expect(connect('billing@acme.test', 'wrong').connect()).rejects.toThrow();
  });
});

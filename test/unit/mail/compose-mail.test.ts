import { describe, expect, it } from 'vitest';
import { composeMail, generateMessageId } from '@parley/api/mail/compose-mail.ts';
import { parseMail } from '@parley/api/mail/parse-mail.ts';
import { classifyMail } from '@parley/api/mail/classify-mail.ts';
import { extractTicketNumbers, referencedMessageIds } from '@parley/api/mail/thread-hints.ts';

const headerBlock = (raw: Buffer) => raw.toString('utf8').split('\r\n\r\n')[0];

describe('generateMessageId', () => {
  it('makes unique canonical ids for a domain', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => generateMessageId('Acme.Example')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^<parley\.[a-z0-9]+\.[A-Za-z0-9_-]{16}@acme\.example>$/);
  });

  it('refuses things that are not domains', () => {
    for (const bad of ['', 'a b', 'x>@y', 'evil\r\nBcc: x', '-x.example']) expect(() => generateMessageId(bad)).toThrow(TypeError);
  });
});

describe('composeMail', () => {
  it('builds an agent reply with threading headers and no automation headers', async () => {
    const { raw, messageId, envelope } = await composeMail({
      from: { name: 'Acme Support', address: 'support@acme.example' },
      to: 'Jürgen Müller <juergen@kunde.example>',
      cc: ['boss@kunde.example'],
      bcc: 'archive@acme.example',
      subject: '[Ticket#2026112210000012] Re: Drucker im Büro',
      text: 'Hallo Jürgen,\nder Drucker läuft wieder.',
      messageId: 'parley.x1@acme.example',
      inReplyTo: '<CAF1@kunde.example>',
      references: ['<first@kunde.example>'],
      date: new Date('2026-11-22T10:00:00Z'),
      headers: { 'X-Parley-Ticket': '2026112210000012', 'Auto-Submitted': 'auto-replied' },
    });
    const head = headerBlock(raw);
    expect(messageId).toBe('<parley.x1@acme.example>');
    expect(head).toContain('Message-ID: <parley.x1@acme.example>');
    expect(head).toContain('In-Reply-To: <CAF1@kunde.example>');
    expect(head).toContain('References: <first@kunde.example> <CAF1@kunde.example>');
    expect(head).toContain('Date: Sun, 22 Nov 2026 10:00:00 +0000');
    expect(head).toContain('X-Parley-Ticket: 2026112210000012');
    expect(head).not.toMatch(/^Auto-Submitted:/im);
    expect(head).not.toMatch(/^X-Auto-Response-Suppress:/im);
    expect(head).not.toMatch(/^Bcc:/im);
    expect(raw.includes('\n') && !/[^\r]\n/.test(raw.toString('latin1'))).toBe(true);
    expect(envelope).toEqual({ from: 'support@acme.example', to: ['juergen@kunde.example', 'boss@kunde.example', 'archive@acme.example'] });

    // Round trip through our own parser: what we send is what we will read back.
    const parsed = await parseMail(raw);
    expect(parsed.messageId).toBe(messageId);
    expect(parsed.subject).toBe('[Ticket#2026112210000012] Re: Drucker im Büro');
    expect(parsed.to).toEqual([{ address: 'juergen@kunde.example', name: 'Jürgen Müller' }]);
    expect(parsed.text).toContain('der Drucker läuft wieder.');
    expect(referencedMessageIds(parsed)).toEqual(['<CAF1@kunde.example>', '<first@kunde.example>']);
    expect(extractTicketNumbers(parsed.subject, 'Ticket#')).toEqual(['2026112210000012']);
    expect(classifyMail(parsed).kind).toBe('normal');
  });

  it('marks auto-responses and notifications so other systems do not answer them', async () => {
    const auto = await composeMail({ from: 'support@acme.example', to: 'jane@kunde.example', subject: 'Received', text: 'We got it', kind: 'auto-response' });
    expect(headerBlock(auto.raw)).toMatch(/^Auto-Submitted: auto-replied$/m);
    expect(headerBlock(auto.raw)).toMatch(/^X-Auto-Response-Suppress: All$/m);
    expect(classifyMail(await parseMail(auto.raw)).kind).toBe('auto-reply');

    const note = await composeMail({ from: 'support@acme.example', to: 'agent@acme.example', subject: 'New ticket', text: 'x', kind: 'notification' });
    expect(headerBlock(note.raw)).toMatch(/^Auto-Submitted: auto-generated$/m);
  });

  it('generates a Message-ID from the sender domain when none is given', async () => {
    const { raw, messageId } = await composeMail({ from: 'Support <support@acme.example>', to: 'a@b.example', subject: 's', text: 't' });
    expect(messageId).toMatch(/^<parley\.[^@]+@acme\.example>$/);
    expect((await parseMail(raw)).messageId).toBe(messageId);
  });

  it('embeds inline images and attaches files', async () => {
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const { raw } = await composeMail({
      from: 'support@acme.example',
      to: 'a@b.example',
      subject: 'images',
      html: '<p>Logo: <img src="cid:logo@acme.example"></p>',
      text: 'Logo',
      attachments: [
        { filename: 'logo.png', content: png, contentType: 'image/png', contentId: 'logo@acme.example' },
        { filename: 'Angebot März.pdf', content: Buffer.from('%PDF-1.4\n') },
      ],
    });
    const parsed = await parseMail(raw);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.inline, a.contentId])).toEqual([
      ['logo.png', 'image/png', true, 'logo@acme.example'],
      ['Angebot März.pdf', 'application/pdf', false, null],
    ]);
    expect(parsed.attachments[0].content.equals(png)).toBe(true);
    expect(parsed.sanitizedHtml).toContain('src="cid:logo@acme.example"');
  });

  it('is deterministic apart from the MIME boundaries: same input, same headers', async () => {
    const input = { from: 'support@acme.example', to: 'a@b.example', subject: 's', text: 't', messageId: '<fixed@acme.example>', date: new Date('2026-01-01T00:00:00Z') };
    const a = await composeMail(input);
    const b = await composeMail(input);
    expect(a.raw.equals(b.raw)).toBe(true);
  });

  it('rejects header injection through custom headers', async () => {
    await expect(composeMail({ from: 'a@acme.example', to: 'b@x.example', subject: 's', text: 't', headers: { 'X-Evil': 'a\r\nBcc: victim@x.example' } })).rejects.toThrow(TypeError);
  });

  it('does not let a subject with line breaks inject headers', async () => {
    const { raw } = await composeMail({ from: 'a@acme.example', to: 'b@x.example', subject: 'hi\r\nBcc: victim@x.example', text: 't' });
    expect(headerBlock(raw)).not.toMatch(/^Bcc:/im);
  });
});

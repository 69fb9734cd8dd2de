// Edge cases of parseMail beyond the fixture corpus: input checks, huge attachments, odd structures.
import { randomBytes, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMail, MailParseError, safeFilename } from '@parley/api/mail/parse-mail.ts';
import type { MailParseErrorCode } from '@parley/api/mail/parse-mail.ts';
import { composeMail } from '@parley/api/mail/compose-mail.ts';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'));

async function parseError(raw: Buffer, options?: Parameters<typeof parseMail>[1]): Promise<MailParseErrorCode | 'no error'> {
  try {
    await parseMail(raw, options);
    return 'no error';
  } catch (e) {
    expect(e).toBeInstanceOf(MailParseError);
    expect((e as MailParseError).name).toBe('MailParseError');
    return (e as MailParseError).code;
  }
}

describe('parseMail input checks', () => {
  it('rejects empty and whitespace-only input as EMPTY', async () => {
    expect(await parseError(Buffer.alloc(0))).toBe('EMPTY');
    expect(await parseError(Buffer.from('\r\n \r\n\t'))).toBe('EMPTY');
  });

  it('rejects random binary as NOT_RFC822', async () => {
    for (let i = 0; i < 20; i++) expect(await parseError(randomBytes(4096))).toBe('NOT_RFC822');
  });

  it('rejects plain prose, JSON and HTML documents as NOT_RFC822', async () => {
    expect(await parseError(Buffer.from('Hello, this is just a note\nwith two lines\n'))).toBe('NOT_RFC822');
    expect(await parseError(Buffer.from('{"from":"a@b.c","subject":"x"}'))).toBe('NOT_RFC822');
    expect(await parseError(Buffer.from('<!doctype html><html><body>hi</body></html>'))).toBe('NOT_RFC822');
  });

  it('rejects input over maxBytes as TOO_LARGE before parsing', async () => {
    const raw = crlf('From: a@example.com\nSubject: x\n\n' + 'x'.repeat(2000));
    expect(await parseError(raw, { maxBytes: 1000 })).toBe('TOO_LARGE');
    expect(await parseError(raw, { maxBytes: 10_000 })).toBe('no error');
  });

  it('accepts an mbox "From " separator line, a UTF-8 BOM and leading blank lines', async () => {
    const mbox = crlf('From jane@example.com Sun Nov 22 09:00:00 2026\nFrom: Jane <jane@example.com>\nSubject: mbox\n\nbody\n');
    expect((await parseMail(mbox)).subject).toBe('mbox');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), crlf('From: jane@example.com\nSubject: bom\n\nbody\n')]);
    expect((await parseMail(bom)).subject).toBe('bom');
    const blank = Buffer.concat([Buffer.from('\r\n\r\n'), crlf('From: jane@example.com\nSubject: blank lines first\n\nbody\n')]);
    expect((await parseMail(blank)).subject).toBe('blank lines first');
  });

  it('keeps best effort for a header-only mail without a blank line', async () => {
    const p = await parseMail(Buffer.from('From: x@example.com\r\nSubject: only headers'));
    expect(p.subject).toBe('only headers');
    expect(p.text).toBe('');
  });
});

describe('parseMail structure', () => {
  it('handles a huge (20 MiB) attachment generated at test time', async () => {
    const big = randomBytes(20 * 1024 * 1024);
    const { raw } = await composeMail({
      from: 'sender@example.com',
      to: 'support@acme.example',
      subject: 'Huge attachment',
      text: 'see attachment',
      attachments: [{ filename: 'disk-image.bin', content: big, contentType: 'application/octet-stream' }],
    });
    const started = performance.now();
    const p = await parseMail(raw);
    const ms = performance.now() - started;
    expect(p.attachments).toHaveLength(1);
    expect(p.attachments[0].size).toBe(big.length);
    expect(p.attachments[0].checksum).toBe(createHash('sha256').update(big).digest('hex'));
    expect(p.attachments[0].content.equals(big)).toBe(true);
    expect(p.text).toContain('see attachment');
    expect(ms).toBeLessThan(20_000);
    expect(await parseError(raw, { maxBytes: 10 * 1024 * 1024 })).toBe('TOO_LARGE');
  });

  it('computes sha256 over the raw bytes and derives a stable synthetic Message-ID', async () => {
    const raw = crlf('From: a@example.com\nSubject: no id\n\nbody\n');
    const a = await parseMail(raw);
    const b = await parseMail(Buffer.from(raw));
    expect(a.sha256).toBe(createHash('sha256').update(raw).digest('hex'));
    expect(a.messageId).toBe(b.messageId);
    expect(a.messageIdSynthetic).toBe(true);
    const other = await parseMail(crlf('From: a@example.com\nSubject: no id\n\nbody 2\n'));
    expect(other.messageId).not.toBe(a.messageId);
  });

  it('normalizes Message-IDs without angle brackets', async () => {
    const p = await parseMail(crlf('From: a@example.com\nMessage-ID: abc@example.com\nIn-Reply-To: def@example.com\nReferences: one@x.example, two@x.example\nSubject: ids\n\nb\n'));
    expect(p.messageId).toBe('<abc@example.com>');
    expect(p.inReplyTo).toBe('<def@example.com>');
    expect(p.references).toEqual(['<one@x.example>', '<two@x.example>']);
  });

  it('flattens address groups, joins repeated To headers and drops invalid addresses', async () => {
    const p = await parseMail(
      crlf('From: a@example.com\nTo: Team: x@example.com, "Y, Z" <y@EXAMPLE.com>;\nTo: undisclosed-recipients:;\nCc: not an address, w@example.com\nSubject: g\n\nb\n'),
    );
    expect(p.to).toEqual([
      { address: 'x@example.com', name: '' },
      { address: 'y@example.com', name: 'Y, Z' },
    ]);
    expect(p.cc.map((a) => a.address)).toEqual(['w@example.com']);
  });

  it('collects envelope recipients from Delivered-To, X-Original-To and Envelope-To', async () => {
    const p = await parseMail(
      crlf('Delivered-To: Support@Acme.example\nX-Original-To: sales@acme.example\nDelivered-To: support@acme.example\nFrom: a@example.com\nTo: list@x.example\nSubject: d\n\nb\n'),
    );
    expect(p.deliveredTo).toEqual(['support@acme.example', 'sales@acme.example']);
  });

  it.each([
    ['Sun, 22 Nov 2026 9:05 +0300', '2026-11-22T06:05:00.000Z'],
    ['22 Nov 26 09:05:00 GMT', '2026-11-22T09:05:00.000Z'],
    ['Mon, 23 Nov 2026 08:30:00 +0100 (CET)', '2026-11-23T07:30:00.000Z'],
    ['Mon, 23 Nov 2026 08:30:00 MEZ', '2026-11-23T08:30:00.000Z'],
    ['Mon,23 Nov 2026 08:30 -0000', '2026-11-23T08:30:00.000Z'],
  ])('reads the Date %s', async (value, iso) => {
    expect((await parseMail(crlf(`From: a@example.com\nDate: ${value}\nSubject: d\n\nb\n`))).date).toBe(iso);
  });

  it('reports a missing From and an unreadable Date', async () => {
    const p = await parseMail(crlf('Subject: anonymous\nDate: yesterday-ish\nMessage-ID: <x@y>\n\nb\n'));
    expect(p.from).toBeNull();
    expect(p.date).toBeNull();
    expect(p.warnings).toEqual(expect.arrayContaining(['from-missing', 'date-invalid']));
  });

  it('keeps message/delivery-status out of the text and exposes the top-level content type', async () => {
    const p = await parseMail(
      crlf(
        'From: MAILER-DAEMON@x.example\nSubject: failure\nContent-Type: multipart/report; report-type="delivery-status"; boundary=b\n\n--b\nContent-Type: text/plain\n\nhuman text\n--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; q@x.example\nAction: failed\n--b--\n',
      ),
    );
    expect(p.contentType).toBe('multipart/report');
    expect(p.contentTypeParams['report-type']).toBe('delivery-status');
    expect(p.text).toContain('human text');
    expect(p.text).not.toContain('Final-Recipient');
  });

  it('gives nameless attachments a safe generated filename and strips paths from given ones', async () => {
    const p = await parseMail(
      crlf(
        'From: a@example.com\nSubject: names\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nx\n--b\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename="..\\\\..\\\\windows\\\\evil.exe"\n\nMZ\n--b--\n',
      ),
    );
    expect(p.attachments.map((a) => a.filename)).toEqual(['attachment-1.pdf', 'evil.exe']);
    expect(safeFilename('../../etc/passwd', 'text/plain', 0)).toBe('passwd');
    expect(safeFilename('\u0000\u0007', 'text/calendar', 3)).toBe('invite.ics');
    expect(safeFilename('a'.repeat(300) + '.pdf', 'application/pdf', 0)).toMatch(/^a{196}\.pdf$/);
  });

  it('marks an image with a Content-ID as inline only when the HTML shows it or it is in multipart/related', async () => {
    const p = await parseMail(
      crlf(
        'From: a@example.com\nSubject: cids\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\n\n<p>hi <img src="cid:shown@x"></p>\n--b\nContent-Type: image/png\nContent-ID: <shown@x>\nContent-Transfer-Encoding: base64\n\niVBORw==\n--b\nContent-Type: image/png\nContent-ID: <unused@x>\nContent-Disposition: attachment; filename=unused.png\nContent-Transfer-Encoding: base64\n\niVBORw==\n--b--\n',
      ),
    );
    expect(p.attachments.map((a) => [a.contentId, a.inline])).toEqual([
      ['shown@x', true],
      ['unused@x', false],
    ]);
    expect(p.sanitizedHtml).toContain('src="cid:shown@x"');
  });

  it('can block remote images (URL kept in data-remote-src)', async () => {
    const raw = crlf('From: a@example.com\nSubject: img\nContent-Type: text/html\n\n<img src="https://t.example/p.gif">\n');
    const p = await parseMail(raw, { remoteImages: 'block' });
    expect(p.hasRemoteImages).toBe(true);
    expect(p.sanitizedHtml).toBe('<img data-remote-src="https://t.example/p.gif" />\n');
  });

  it('reads raw UTF-8 headers (RFC 6532) without a warning', async () => {
    const p = await parseMail(Buffer.from('From: "Jürgen Müller" <j@b.example>\r\nSubject: Grüße aus Köln 🎉\r\nMessage-ID: <u@b>\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\n\r\nbody\r\n'));
    expect(p.subject).toBe('Grüße aus Köln 🎉');
    expect(p.from).toEqual({ address: 'j@b.example', name: 'Jürgen Müller' });
    expect(p.warnings).toEqual([]);
  });

  it('keeps an inline message/rfc822 part whole as an attachment', async () => {
    const p = await parseMail(
      crlf('From: a@b.example\nSubject: inline fwd\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee below\n--b\nContent-Type: message/rfc822\nContent-Disposition: inline\n\nFrom: c@d.example\nSubject: inner\n\ninner body\n--b--\n'),
    );
    expect(p.text).toBe('see below');
    expect(p.attachments.map((a) => [a.filename, a.contentType, a.role])).toEqual([['message.eml', 'message/rfc822', 'message']]);
    expect(p.attachments[0].content.toString()).toContain('inner body');
  });

  it('reports MALFORMED for structures the parser refuses (oversized header, part bombs)', async () => {
    const hugeHeader = Buffer.from('From: a@b.example\r\nSubject: x\r\nX-Big: ' + 'y'.repeat(3 * 1024 * 1024) + '\r\n\r\nbody\r\n');
    expect(await parseError(hugeHeader)).toBe('MALFORMED');
    const parts = Array.from({ length: 3000 }, (_, i) => `--b\nContent-Type: text/plain\nContent-Disposition: attachment; filename=f${i}.txt\n\nx\n`).join('');
    expect(await parseError(crlf(`From: a@b.example\nSubject: many\nContent-Type: multipart/mixed; boundary=b\n\n${parts}--b--\n`))).toBe('MALFORMED');
  });
});

// Classification rules on small synthetic mails (the corpus covers the realistic ones).
import { describe, expect, it } from 'vitest';
import { parseMail } from '@parley/api/mail/parse-mail.ts';
import { classifyMail, parseDeliveryStatus } from '@parley/api/mail/classify-mail.ts';

async function classify(headers: string, body = 'Hello\n') {
  const raw = Buffer.from(`${headers.trim()}\nMessage-ID: <t@example.com>\n\n${body}`.replace(/\r?\n/g, '\r\n'));
  return classifyMail(await parseMail(raw));
}

const BASE = 'From: Jane <jane@customer.example>\nTo: support@acme.example\nSubject: Help with login';

describe('classifyMail', () => {
  it('treats an ordinary mail as normal and allows an auto-response', async () => {
    expect(await classify(BASE)).toEqual({ kind: 'normal', reasons: [], allowAutoResponse: true });
  });

  it('treats Auto-Submitted with any value but "no" as auto-reply', async () => {
    for (const value of ['auto-replied', 'auto-generated', 'auto-notified', 'Auto-Replied; owner-email="x@y"']) {
      const c = await classify(`${BASE}\nAuto-Submitted: ${value}`);
      expect(c.kind, value).toBe('auto-reply');
      expect(c.allowAutoResponse).toBe(false);
      expect(c.autoSubmitted).toBe(value.split(';')[0].toLowerCase());
    }
    expect((await classify(`${BASE}\nAuto-Submitted: no`)).kind).toBe('normal');
    expect((await classify(`${BASE}\nAuto-Submitted: No (manual)`)).kind).toBe('normal');
  });

  it('recognises X-Autoreply, X-Autorespond, X-Autoresponder', async () => {
    for (const h of ['X-Autoreply: yes', 'X-Autorespond: on vacation', 'X-Autoresponder: true', 'X-AutoReply: 1']) {
      expect((await classify(`${BASE}\n${h}`)).kind, h).toBe('auto-reply');
    }
    expect((await classify(`${BASE}\nX-Autoreply: no`)).kind).toBe('normal');
  });

  it('maps Precedence: junk to auto-reply and bulk/list to list', async () => {
    expect((await classify(`${BASE}\nPrecedence: junk`)).kind).toBe('auto-reply');
    expect((await classify(`${BASE}\nPrecedence: bulk`)).kind).toBe('list');
    expect((await classify(`${BASE}\nPrecedence: list`)).kind).toBe('list');
    expect((await classify(`${BASE}\nPrecedence: first-class`)).kind).toBe('normal');
  });

  it('treats List-Id or List-Unsubscribe as list mail', async () => {
    expect((await classify(`${BASE}\nList-Id: <news.example.com>`)).reasons).toContain('list-id');
    expect((await classify(`${BASE}\nList-Unsubscribe: <https://x.example/u>`)).kind).toBe('list');
  });

  it('treats a null Return-Path as machine mail', async () => {
    const c = await classify(`Return-Path: <>\n${BASE}`);
    expect(c.kind).toBe('auto-reply');
    expect(c.reasons).toContain('null-return-path');
  });

  it('treats MAILER-DAEMON senders as bounces and reads X-Failed-Recipients', async () => {
    const c = await classify(`From: Mail Delivery System <Mailer-Daemon@mx.example>\nTo: support@acme.example\nSubject: Mail delivery failed\nX-Failed-Recipients: gone@kunde.example, also.gone@kunde.example`);
    expect(c.kind).toBe('bounce');
    expect(c.bouncedRecipients).toEqual(['gone@kunde.example', 'also.gone@kunde.example']);
    expect(c.bounceStatus).toBe('failed');
  });

  it('recognises Exchange NDR header and finds the original Message-ID quoted in the text', async () => {
    const c = await classify(
      'From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@corp.example>\nTo: support@acme.example\nSubject: Undeliverable: Re: VPN\nX-MS-Exchange-Message-Is-Ndr:',
      "Your message to gone@corp.example couldn't be delivered.\n\nOriginal message headers:\n\nMessage-ID: <parley.abc@acme.example>\nFrom: support@acme.example\n",
    );
    expect(c.kind).toBe('bounce');
    expect(c.bouncedRecipients).toEqual(['gone@corp.example']);
    expect(c.bouncedMessageId).toBe('<parley.abc@acme.example>');
  });

  it('does not call a postmaster mail without a failure subject a bounce', async () => {
    const c = await classify('From: postmaster@corp.example\nTo: support@acme.example\nSubject: Question about our SPF record');
    expect(c.kind).toBe('normal');
    expect(c.allowAutoResponse).toBe(false);
    expect(c.reasons).toContain('sender=postmaster');
  });

  it('keeps a vacation-looking subject alone as normal but without auto-response', async () => {
    for (const subject of ['Out of Office: Re: invoice', 'Automatische Antwort: Ihre Anfrage', 'Răspuns automat: cerere', 'Автоматический ответ: заявка']) {
      const c = await classify(`From: jane@customer.example\nTo: support@acme.example\nSubject: ${subject}`);
      expect(c.kind, subject).toBe('normal');
      expect(c.allowAutoResponse, subject).toBe(false);
      expect(c.reasons).toContain('subject-vacation-hint');
    }
  });

  it('turns two weak hints into an auto-reply', async () => {
    const c = await classify('From: noreply@shop.example\nTo: support@acme.example\nSubject: Out of office');
    expect(c.kind).toBe('auto-reply');
    expect(c.reasons).toContain('weak-hints>=2');
  });

  it('honours X-Auto-Response-Suppress without changing the kind', async () => {
    const c = await classify(`${BASE}\nX-Auto-Response-Suppress: DR, OOF, AutoReply`);
    expect(c.kind).toBe('normal');
    expect(c.allowAutoResponse).toBe(false);
  });

  it('recognises upstream spam flags', async () => {
    expect((await classify(`${BASE}\nX-Spam-Flag: YES`)).kind).toBe('spam-flagged');
    expect((await classify(`${BASE}\nX-Spam-Status: Yes, score=9`)).kind).toBe('spam-flagged');
    expect((await classify(`${BASE}\nX-Spam-Status: No, score=0.1`)).kind).toBe('normal');
    expect((await classify(`${BASE}\nX-MS-Exchange-Organization-SCL: 7`)).kind).toBe('spam-flagged');
    expect((await classify(`${BASE}\nX-MS-Exchange-Organization-SCL: -1`)).kind).toBe('normal');
  });

  it('orders kinds bounce > auto-reply > spam-flagged > list and keeps all reasons', async () => {
    const c = await classify(`From: MAILER-DAEMON@x.example\nTo: support@acme.example\nSubject: x\nAuto-Submitted: auto-replied\nX-Spam-Flag: YES\nList-Id: <l.example>`);
    expect(c.kind).toBe('bounce');
    expect(c.reasons).toEqual(expect.arrayContaining(['sender=mailer-daemon', 'auto-submitted=auto-replied', 'spam-flag', 'list-id']));
    const d = await classify(`${BASE}\nX-Spam-Flag: YES\nList-Id: <l.example>`);
    expect(d.kind).toBe('spam-flagged');
  });

  it('parses delivery-status blocks', () => {
    const entries = parseDeliveryStatus(
      'Reporting-MTA: dns; mx\n\nFinal-Recipient: rfc822; A@Example.com\nAction: failed\nStatus: 5.1.1\n\nOriginal-Recipient: rfc822;<b@example.com>\nAction: delayed\nStatus: 4.4.7\n',
    );
    expect(entries).toEqual([
      { address: 'a@example.com', action: 'failed', status: '5.1.1' },
      { address: 'b@example.com', action: 'delayed', status: '4.4.7' },
    ]);
  });
});

// Damaged input: truncated and bit-flipped fixtures must either parse (best effort) or fail with a
// MailParseError — never hang, never throw anything else — and classification must not throw.
// Random markup soups must never come out of the sanitizer with active content.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMail, MailParseError } from '@parley/api/mail/parse-mail.ts';
import { classifyMail } from '@parley/api/mail/classify-mail.ts';
import { sanitizeMailHtml } from '@parley/api/mail/sanitize-mail-html.ts';
import { cleanSubject, extractTicketNumbers, referencedMessageIds } from '@parley/api/mail/thread-hints.ts';

const dir = fileURLToPath(new URL('../../fixtures/mail/', import.meta.url));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.eml'))
  .sort()
  .map((f) => [f, readFileSync(dir + f)] as const);

function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

async function survive(raw: Buffer): Promise<'parsed' | 'rejected'> {
  try {
    const parsed = await parseMail(raw);
    const c = classifyMail(parsed);
    expect(['normal', 'auto-reply', 'bounce', 'list', 'spam-flagged']).toContain(c.kind);
    referencedMessageIds(parsed);
    extractTicketNumbers(parsed.subject, 'Ticket#');
    cleanSubject(parsed.subject, 'Ticket#');
    expect(parsed.messageId).toMatch(/^<[^<>\s]+>$/);
    return 'parsed';
  } catch (e) {
    if (!(e instanceof MailParseError)) throw e;
    return 'rejected';
  }
}

describe('robustness against damaged mail', () => {
  it('survives truncation at many points of every fixture', async () => {
    const random = rng(42);
    let parsed = 0;
    for (const [, raw] of fixtures) {
      for (let i = 0; i < 8; i++) {
        if ((await survive(raw.subarray(0, Math.floor(random() * raw.length)))) === 'parsed') parsed++;
      }
    }
    expect(parsed).toBeGreaterThan(fixtures.length * 4);
  });

  it('survives random byte corruption of every fixture', async () => {
    const random = rng(7);
    for (const [, raw] of fixtures) {
      for (let i = 0; i < 6; i++) {
        const copy = Buffer.from(raw);
        const flips = 1 + Math.floor(random() * 20);
        for (let f = 0; f < flips; f++) copy[Math.floor(random() * copy.length)] = Math.floor(random() * 256);
        await survive(copy);
      }
    }
  });

  it('survives CR/LF damage: CR-only line ends and mixed line ends', async () => {
    const random = rng(99);
    for (const [, raw] of fixtures) {
      await survive(Buffer.from(raw.toString('latin1').replace(/\r?\n/g, '\r'), 'latin1'));
      await survive(Buffer.from(raw.toString('latin1').replace(/\r\n/g, (m) => (random() < 0.5 ? '\n' : m)), 'latin1'));
    }
  });
});

describe('sanitizer against random markup soups', () => {
  const pieces = [
    '<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">', '<a href="JaVaScRiPt:x">', '<a href="&#106;avascript:x">',
    '<svg onload=alert(1)>', '<iframe srcdoc="<script>x</script>">', '<style>@import url(x)</style>', '<div style="background:url(javascript:x)">',
    '<p style="width:expression(x)">', '<object data=x>', '<embed src=x>', '<form><button formaction=javascript:x>', '<math><a xlink:href=javascript:x>',
    '<!--', '-->', '<![CDATA[', ']]>', '<', '>', '"', "'", '=', '</a>', '</p>', '<p>', '<b>', 'text', '&lt;script&gt;', '<img src="cid:x">', '<base href=x>',
    '<meta http-equiv=refresh content=0;url=x>', '<link rel=stylesheet href=x>', '<input autofocus onfocus=x>', '<details open ontoggle=x>', '<video><source onerror=x>',
  ];
  it('never lets scripts, handlers or javascript: URLs through', () => {
    const random = rng(1234);
    for (let i = 0; i < 1500; i++) {
      let html = '';
      const n = 1 + Math.floor(random() * 12);
      for (let j = 0; j < n; j++) html += pieces[Math.floor(random() * pieces.length)];
      const out = sanitizeMailHtml(html).html;
      expect(out, html).not.toMatch(/<\s*(script|iframe|object|embed|svg|math|style|form|input|button|base|meta|link|video|source|details)\b/i);
      expect(out, html).not.toMatch(/\son\w+\s*=/i);
      expect(out, html).not.toMatch(/(href|src|action|formaction)\s*=\s*"?\s*javascript:/i);
      expect(out, html).not.toMatch(/expression\(|url\(/i);
    }
  });
});

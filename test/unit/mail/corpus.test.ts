// Every fixture in test/fixtures/mail is parsed and classified and checked against expected.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMail, MailParseError } from '@parley/api/mail/parse-mail.ts';
import { classifyMail } from '@parley/api/mail/classify-mail.ts';
import { extractTicketNumbers, referencedMessageIds } from '@parley/api/mail/thread-hints.ts';
import { expectedMails } from '../../fixtures/mail/expected.ts';

const dir = fileURLToPath(new URL('../../fixtures/mail/', import.meta.url));
const read = (file: string) => readFileSync(dir + file);

describe('mail fixture corpus', () => {
  it('has an expectation for every fixture file (and a fixture for every expectation)', () => {
    const files = readdirSync(dir).filter((f) => /\.(eml|bin)$/.test(f)).sort();
    expect(expectedMails.map((e) => e.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  for (const exp of expectedMails) {
    it(`${exp.file}: ${exp.what}`, async () => {
      const raw = read(exp.file);
      if (exp.error) {
        const error = await parseMail(raw).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(MailParseError);
        expect((error as MailParseError).code).toBe(exp.error);
        return;
      }
      const parsed = await parseMail(raw);
      const c = classifyMail(parsed);

      // Always: a canonical Message-ID, sha256 of the raw bytes, a JSON-safe shape.
      expect(parsed.messageId).toMatch(/^<[^<>\s]+>$/);
      expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(parsed.size).toBe(raw.length);
      expect(() => JSON.stringify({ ...parsed, attachments: parsed.attachments.map((a) => ({ ...a, content: null })) })).not.toThrow();

      if (exp.subject !== undefined) expect(parsed.subject).toBe(exp.subject);
      if (exp.from !== undefined) {
        if (exp.from === null) expect(parsed.from).toBeNull();
        else expect(parsed.from).toMatchObject(exp.from);
      }
      if (exp.to) expect(parsed.to.map((a) => a.address)).toEqual(exp.to);
      if (exp.date !== undefined) expect(parsed.date).toBe(exp.date);
      if (exp.messageId) expect(parsed.messageId).toBe(exp.messageId);
      if (exp.messageIdSynthetic !== undefined) {
        expect(parsed.messageIdSynthetic).toBe(exp.messageIdSynthetic);
        if (exp.messageIdSynthetic) expect(parsed.messageId).toBe(`<${parsed.sha256}.parley@synthetic.invalid>`);
      }
      if (exp.inReplyTo !== undefined) expect(parsed.inReplyTo).toBe(exp.inReplyTo);
      if (exp.references) expect(parsed.references).toEqual(exp.references);
      if (exp.referenced) expect(referencedMessageIds(parsed)).toEqual(exp.referenced);
      for (const part of exp.textIncludes ?? []) expect(parsed.text).toContain(part);
      if (exp.textEquals !== undefined) expect(parsed.text).toBe(exp.textEquals);
      if (exp.html === 'none') {
        expect(parsed.html).toBeNull();
        expect(parsed.sanitizedHtml).toBeNull();
      }
      if (exp.html === 'present') expect(parsed.html).toBeTruthy();
      for (const part of exp.sanitizedIncludes ?? []) expect(parsed.sanitizedHtml).toContain(part);
      for (const re of exp.sanitizedExcludes ?? []) expect(parsed.sanitizedHtml).not.toMatch(re);
      if (exp.hasRemoteImages !== undefined) expect(parsed.hasRemoteImages).toBe(exp.hasRemoteImages);
      if (exp.attachments) {
        expect(parsed.attachments).toHaveLength(exp.attachments.length);
        exp.attachments.forEach((a, i) => expect(parsed.attachments[i]).toMatchObject(a));
        for (const a of parsed.attachments) {
          expect(a.size).toBe(a.content.length);
          expect(a.checksum).toMatch(/^[0-9a-f]{64}$/);
        }
      }
      if (exp.warnings) expect([...parsed.warnings].sort()).toEqual([...exp.warnings].sort());

      if (exp.kind) expect(c.kind).toBe(exp.kind);
      for (const r of exp.reasonsInclude ?? []) expect(c.reasons).toContain(r);
      if (exp.allowAutoResponse !== undefined) expect(c.allowAutoResponse).toBe(exp.allowAutoResponse);
      if (c.kind !== 'normal') expect(c.allowAutoResponse).toBe(false);
      if (exp.bouncedMessageId) expect(c.bouncedMessageId).toBe(exp.bouncedMessageId);
      if (exp.bouncedRecipients) expect(c.bouncedRecipients).toEqual(exp.bouncedRecipients);
      if (exp.bounceStatus) expect(c.bounceStatus).toBe(exp.bounceStatus);
      if (exp.ticketNumbers) expect(extractTicketNumbers(parsed.subject, 'Ticket#')).toEqual(exp.ticketNumbers);
    });
  }
});

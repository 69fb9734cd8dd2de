import { describe, expect, it } from 'vitest';
import { decideAutoResponse, loopCounterKey } from '@parley/api/mail/loop-guard.ts';

const normal = { kind: 'normal' as const, allowAutoResponse: true };

describe('decideAutoResponse', () => {
  it('sends below the limit and stops at it', () => {
    expect(decideAutoResponse({ classification: normal, recipient: 'a@x.example', sentInWindow: 0, maxPerWindow: 3 })).toEqual({ send: true });
    expect(decideAutoResponse({ classification: normal, recipient: 'a@x.example', sentInWindow: 2, maxPerWindow: 3 })).toEqual({ send: true });
    expect(decideAutoResponse({ classification: normal, recipient: 'a@x.example', sentInWindow: 3, maxPerWindow: 3 })).toEqual({ send: false, reason: 'limit-reached' });
    expect(decideAutoResponse({ classification: normal, recipient: 'a@x.example', sentInWindow: 99, maxPerWindow: 3 })).toEqual({ send: false, reason: 'limit-reached' });
  });

  it('never answers non-normal mail or mail the classifier held back', () => {
    for (const kind of ['auto-reply', 'bounce', 'list', 'spam-flagged'] as const) {
      expect(decideAutoResponse({ classification: { kind, allowAutoResponse: false }, recipient: 'a@x.example', sentInWindow: 0, maxPerWindow: 10 })).toEqual({
        send: false,
        reason: 'not-normal-mail',
      });
    }
    expect(decideAutoResponse({ classification: { kind: 'normal', allowAutoResponse: false }, recipient: 'a@x.example', sentInWindow: 0, maxPerWindow: 10 }).send).toBe(false);
  });

  it('treats a limit of 0 (or nonsense) as disabled', () => {
    for (const max of [0, -1, Number.NaN]) {
      expect(decideAutoResponse({ classification: normal, recipient: 'a@x.example', sentInWindow: 0, maxPerWindow: max })).toEqual({ send: false, reason: 'disabled' });
    }
  });

  it('refuses missing or invalid recipients and our own addresses', () => {
    expect(decideAutoResponse({ classification: normal, recipient: null, sentInWindow: 0, maxPerWindow: 3 })).toEqual({ send: false, reason: 'no-sender' });
    expect(decideAutoResponse({ classification: normal, recipient: 'not an address', sentInWindow: 0, maxPerWindow: 3 })).toEqual({ send: false, reason: 'no-sender' });
    expect(
      decideAutoResponse({ classification: normal, recipient: '<Support@ACME.example>', sentInWindow: 0, maxPerWindow: 3, ownAddresses: ['support@acme.example'] }),
    ).toEqual({ send: false, reason: 'own-address' });
  });
});

describe('loopCounterKey', () => {
  it('buckets by fixed window and normalizes the address', () => {
    const a = loopCounterKey('t1', 'Jane@Example.com', new Date('2026-11-22T10:00:00Z'));
    const b = loopCounterKey('t1', 'jane@example.com', new Date('2026-11-22T23:59:59Z'));
    const c = loopCounterKey('t1', 'jane@example.com', new Date('2026-11-23T00:00:00Z'));
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(c.key);
    expect(a.key).toBe(`loop:t1:jane@example.com:${Date.parse('2026-11-22T00:00:00Z')}`);
    expect(a.windowStart.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    expect(a.expiresAt.toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(loopCounterKey('t2', 'jane@example.com', new Date('2026-11-22T10:00:00Z')).key).not.toBe(a.key);
  });
});

describe('isOwnOutgoingMail', () => {
  it('recognises Message-IDs that Parley generated for the tenant domains', async () => {
    const { generateMessageId } = await import('@parley/api/mail/compose-mail.ts');
    const { isOwnOutgoingMail } = await import('@parley/api/mail/loop-guard.ts');
    expect(isOwnOutgoingMail({ messageId: generateMessageId('acme.example') }, ['ACME.example'])).toBe(true);
    expect(isOwnOutgoingMail({ messageId: generateMessageId('other.example') }, ['acme.example'])).toBe(false);
    expect(isOwnOutgoingMail({ messageId: '<CAF1@acme.example>' }, ['acme.example'])).toBe(false);
  });
});

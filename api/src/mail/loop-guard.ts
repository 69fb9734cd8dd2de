// The per-sender mail-loop limit: decides whether Parley may send an auto-response.
// Counting lives elsewhere (database/Redis); the caller passes the count for the current window.
import type { MailClassification } from './classify-mail.ts';

export type AutoResponseDecision =
  | { send: true }
  | {
      send: false;
      reason: 'not-normal-mail' | 'no-sender' | 'own-address' | 'limit-reached' | 'disabled';
    };

export type AutoResponseInput = {
  classification: Pick<MailClassification, 'kind' | 'allowAutoResponse'>;
  /** The address the auto-response would go to (From, or Reply-To if the pipeline prefers it). */
  recipient: string | null | undefined;
  /** Auto-responses already sent to this recipient within the current window (by this tenant). */
  sentInWindow: number;
  /** The tenant's limit per window (OTRS' "MaxEmailsPerAddress"); 0 or less disables auto-responses. */
  maxPerWindow: number;
  /** The tenant's own mailbox and system addresses: never answer them (classic loop). */
  ownAddresses?: Iterable<string>;
};

/** Lowercased, trimmed address used for counting and comparing. */
export function normalizeLoopAddress(address: string): string {
  return address.trim().replace(/^<|>$/g, '').toLowerCase();
}

/**
 * Whether to send an auto-response now. Sending is allowed only for 'normal' mail that the
 * classifier cleared, to a real address that is not our own, below the tenant's limit.
 * After a `send: true`, the caller records one more auto-response for the recipient.
 */
export function decideAutoResponse(input: AutoResponseInput): AutoResponseDecision {
  if (input.classification.kind !== 'normal' || !input.classification.allowAutoResponse) return { send: false, reason: 'not-normal-mail' };
  if (!(input.maxPerWindow > 0)) return { send: false, reason: 'disabled' };
  const recipient = normalizeLoopAddress(input.recipient ?? '');
  if (!recipient || !/^[^\s@]+@[^\s@]+$/.test(recipient)) return { send: false, reason: 'no-sender' };
  for (const own of input.ownAddresses ?? []) {
    if (normalizeLoopAddress(own) === recipient) return { send: false, reason: 'own-address' };
  }
  if (input.sentInWindow >= input.maxPerWindow) return { send: false, reason: 'limit-reached' };
  return { send: true };
}

/**
 * A storage key for the per-recipient counter of one fixed window, e.g. for Redis INCR + EXPIRE
 * or a (tenantId, address, windowStart) row: `loop:<tenant>:<address>:<windowStartMs>`.
 */
export function loopCounterKey(tenantId: string, recipient: string, now: Date, windowMs: number = 24 * 60 * 60 * 1000): { key: string; windowStart: Date; expiresAt: Date } {
  const start = Math.floor(now.getTime() / windowMs) * windowMs;
  return {
    key: `loop:${tenantId}:${normalizeLoopAddress(recipient)}:${start}`,
    windowStart: new Date(start),
    expiresAt: new Date(start + windowMs),
  };
}

/**
 * True when an incoming mail is one Parley sent itself (Message-ID made by generateMessageId for
 * one of the tenant's domains), e.g. an agent put the support address in Cc, or a forwarding rule
 * sends our own mail back. Such mail must not open a ticket or get an auto-response; the pipeline
 * should also find its Message-ID in the outbox.
 */
export function isOwnOutgoingMail(parsed: { messageId: string }, ownDomains: Iterable<string>): boolean {
  const m = /^<parley\.[^@<>\s]+@([^<>\s]+)>$/.exec(parsed.messageId);
  if (!m) return false;
  const domain = m[1].toLowerCase();
  for (const own of ownDomains) if (own.trim().toLowerCase() === domain) return true;
  return false;
}

// Builds the exact bytes of an outgoing mail (the outbox stores and sends these, and detects
// duplicates by Message-ID). Nothing is sent here.
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { MailComposerOptions } from 'nodemailer/lib/mail-composer';
import { normalizeMessageId, parseMessageIdList } from './message-id.ts';

export type OutgoingAddress = string | { name: string; address: string };

/** Why the mail is sent; decides the loop-prevention headers. */
export type OutgoingKind =
  /** A person (agent) answering: no automation headers. */
  | 'agent-reply'
  /** Parley answering automatically (receipt confirmation, auto-responses): Auto-Submitted: auto-replied. */
  | 'auto-response'
  /** Parley notifying (agents about events, customers about state changes): Auto-Submitted: auto-generated. */
  | 'notification';

export type OutgoingAttachment = {
  filename: string;
  content: Buffer;
  contentType?: string;
  /** Content-ID without angle brackets; referenced from the HTML as `cid:<contentId>`. */
  contentId?: string;
  /** Shown inside the HTML (needs contentId). Default: true when contentId is set. */
  inline?: boolean;
};

export type ComposeMailInput = {
  from: OutgoingAddress;
  to: OutgoingAddress | OutgoingAddress[];
  cc?: OutgoingAddress | OutgoingAddress[];
  /** Goes into the envelope only, never into the headers. */
  bcc?: OutgoingAddress | OutgoingAddress[];
  replyTo?: OutgoingAddress;
  subject: string;
  text?: string;
  html?: string;
  /** Canonical `<id@domain>` (brackets optional). Generated from `from`'s domain when missing. */
  messageId?: string;
  inReplyTo?: string | null;
  /** Oldest first, as in the References header. */
  references?: string[];
  attachments?: OutgoingAttachment[];
  /** Extra headers (e.g. X-Parley-Ticket). Standard headers set from the fields above win. */
  headers?: Record<string, string>;
  kind?: OutgoingKind;
  /** Date header; default now. */
  date?: Date;
};

export type ComposedMail = {
  raw: Buffer;
  /** Canonical `<id@domain>`. */
  messageId: string;
  /** SMTP envelope derived from from/to/cc/bcc. */
  envelope: { from: string | false; to: string[] };
};

const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A new, globally unique Message-ID for the given domain: `<parley.<time>.<random>@domain>`. */
export function generateMessageId(domain: string): string {
  const d = domain.trim().toLowerCase();
  if (!DOMAIN.test(d)) throw new TypeError(`Not a domain for a Message-ID: ${JSON.stringify(domain)}`);
  return `<parley.${Date.now().toString(36)}.${randomBytes(12).toString('base64url')}@${d}>`;
}

function domainOf(address: OutgoingAddress): string {
  const a = typeof address === 'string' ? address : address.address;
  const m = /@([^\s<>@]+?)>?\s*$/.exec(a);
  return m ? m[1] : 'localhost';
}

/** Headers that mark automatic mail, by kind. */
export function automationHeaders(kind: OutgoingKind): Record<string, string> {
  switch (kind) {
    case 'agent-reply':
      return {};
    case 'auto-response':
      return { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' };
    case 'notification':
      return { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' };
  }
}

/** Builds the raw RFC 5322 message with CRLF line ends. */
export async function composeMail(input: ComposeMailInput): Promise<ComposedMail> {
  const messageId = normalizeMessageId(input.messageId) ?? generateMessageId(domainOf(input.from));
  const inReplyTo = normalizeMessageId(input.inReplyTo ?? null);
  const references = (input.references ?? []).flatMap((r) => parseMessageIdList(r));
  if (inReplyTo && !references.includes(inReplyTo)) references.push(inReplyTo);

  // Automation headers are decided by `kind` only; callers cannot smuggle them into agent replies.
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(input.headers ?? {})) {
    if (/^(auto-submitted|x-auto-response-suppress)$/i.test(key)) continue;
    if (/[\r\n]/.test(key) || /[\r\n]/.test(value)) throw new TypeError(`Header ${key} contains a line break`);
    custom[key] = value;
  }

  const options: MailComposerOptions = {
    from: input.from,
    to: input.to,
    cc: input.cc,
    bcc: input.bcc,
    replyTo: input.replyTo,
    subject: input.subject,
    text: input.text,
    html: input.html,
    messageId,
    date: input.date ?? new Date(),
    inReplyTo: inReplyTo ?? undefined,
    references: references.length ? references.join(' ') : undefined,
    headers: { ...custom, ...automationHeaders(input.kind ?? 'agent-reply') },
    attachments: (input.attachments ?? []).map((a) => ({
      filename: a.filename,
      content: a.content,
      contentType: a.contentType,
      cid: a.contentId,
      contentDisposition: a.contentId && a.inline !== false ? 'inline' : 'attachment',
    })),
    newline: 'win',
    disableFileAccess: true,
    disableUrlAccess: true,
  };

  const node = new MailComposer(options).compile();
  const raw = await node.build();
  const envelope = node.getEnvelope();
  return { raw, messageId, envelope: { from: envelope.from, to: envelope.to } };
}

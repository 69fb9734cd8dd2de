// Decides what kind of mail arrived: a person writing, an auto-reply, a bounce, list/bulk mail or spam.
// Rule for the pipeline: only kind 'normal' with allowAutoResponse may ever get an auto-response.
import { parseHeaderBlock, firstHeader } from './header-block.ts';
import { normalizeMessageId } from './message-id.ts';
import type { ParsedMail } from './parse-mail.ts';

export type MailKind = 'normal' | 'auto-reply' | 'bounce' | 'list' | 'spam-flagged';

export type MailClassification = {
  kind: MailKind;
  /** Every signal seen, strongest first, e.g. 'auto-submitted=auto-replied', 'subject-vacation-hint'. */
  reasons: string[];
  /** False for every non-normal kind, and for normal mail with weak hints or a suppress request. */
  allowAutoResponse: boolean;
  /** For bounces: the Message-ID of the mail that could not be delivered (canonical `<id>`). */
  bouncedMessageId?: string;
  /** For bounces: the recipients that failed (lowercase addresses). */
  bouncedRecipients?: string[];
  /** For bounces: 'failed' (permanent or unknown) or 'delayed' (a warning, delivery still tried). */
  bounceStatus?: 'failed' | 'delayed';
  /**
   * The Auto-Submitted keyword when present and not 'no' (e.g. 'auto-replied', 'auto-generated').
   * Lets the pipeline still open tickets for machine mail it wants (monitoring alerts are
   * 'auto-generated') while never auto-responding to it.
   */
  autoSubmitted?: string;
};

export type ClassifiableMail = Pick<ParsedMail, 'from' | 'subject' | 'headers' | 'contentType' | 'contentTypeParams' | 'attachments' | 'text'>;

// Weak hint: common vacation / out-of-office subjects (EN, DE, RU, RO).
const VACATION_SUBJECT = new RegExp(
  [
    'out of (the )?office', 'automatic reply', 'auto[- ]?reply', 'auto[- ]?response', 'autoresponder', 'on vacation', 'on holiday',
    'away from (the )?office', '^vacation\\b', 'abwesenheit', 'automatische antwort', 'nicht im büro', 'außer haus', 'ausser haus',
    'urlaubsbedingt', 'im urlaub', 'автоответ', 'автоматический ответ', 'нет на месте', 'в отпуске', 'вне офиса', 'răspuns automat',
    'raspuns automat', 'în concediu', 'in concediu', 'absent din birou', 'plecat din birou',
  ].join('|'),
  'iu',
);

// Subjects of delivery failure reports (used together with other signals only).
const BOUNCE_SUBJECT =
  /^(undeliver(able|ed)|unzustellbar|nicht zustellbar|delivery (status notification|failure|has failed)|mail delivery (failed|failure|subsystem)|returned mail|failure notice|non remis|недоставлен|не доставлен|nelivrat|returned to sender|message not delivered|delivery (notification|report))/iu;

const FAILURE_MARKERS =
  /(could not be delivered|couldn't be delivered|cannot be reached|could not be reached|delivery has failed to these recipients|permanent(ly)? (error|fatal)|failed permanently|the following (address(es)?|recipients?) failed|unzustellbar|konnte nicht zugestellt werden|не может быть доставлено|не удалось доставить|nu a putut fi livrat)/iu;

const EMAIL = /[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+/gi;

function header(mail: ClassifiableMail, key: string): string | undefined {
  return mail.headers[key]?.[0];
}

function has(mail: ClassifiableMail, key: string): boolean {
  return (mail.headers[key]?.length ?? 0) > 0;
}

type DsnRecipient = { address: string; action: string; status: string };

/** Reads the per-recipient blocks of a message/delivery-status body. */
export function parseDeliveryStatus(body: string): DsnRecipient[] {
  const blocks = body.replace(/\r\n/g, '\n').split(/\n\s*\n/);
  const out: DsnRecipient[] = [];
  for (const block of blocks) {
    const fields = parseHeaderBlock(block);
    const recipientField = firstHeader(fields, 'final-recipient') ?? firstHeader(fields, 'original-recipient');
    if (!recipientField) continue;
    const address = recipientField.replace(/^[^;]*;\s*/, '').trim().replace(/^<|>$/g, '').toLowerCase();
    if (!address) continue;
    out.push({
      address,
      action: (firstHeader(fields, 'action') ?? '').trim().toLowerCase(),
      status: (firstHeader(fields, 'status') ?? '').trim(),
    });
  }
  return out;
}

function bouncedMessageIdOf(mail: ClassifiableMail): string | undefined {
  for (const a of mail.attachments) {
    const isHeaders = a.contentType === 'text/rfc822-headers' || a.contentType === 'message/global-headers';
    if (isHeaders || a.role === 'message') {
      const id = normalizeMessageId(firstHeader(parseHeaderBlock(a.content), 'message-id'));
      if (id) return id;
    }
  }
  // Fallback: bounce text quoting the original headers.
  const quoted = /^[ \t>]*message-id:[ \t]*(<[^<>\s]+>)/im.exec(mail.text);
  return quoted ? (normalizeMessageId(quoted[1]) ?? undefined) : undefined;
}

function recipientsFromText(mail: ClassifiableMail): string[] {
  const found = new Set<string>();
  const own = new Set([mail.from?.address.toLowerCase()].filter(Boolean));
  const text = mail.text;
  for (const m of text.matchAll(/your message to:?\s*<?([^\s<>]+@[^\s<>]+?)>?\s+(couldn't|could not|wasn't|was not)/gi)) {
    found.add(m[1].toLowerCase());
  }
  const marker = FAILURE_MARKERS.exec(text);
  if (marker) {
    const tail = text.slice(marker.index, marker.index + 1500);
    const cut = tail.search(/\n\s*(-{3,}|original message|message-id:|received:|from:|return-path:)/i);
    for (const m of (cut > 0 ? tail.slice(0, cut) : tail).matchAll(EMAIL)) found.add(m[0].toLowerCase());
  }
  for (const address of own) found.delete(address!);
  return [...found];
}

/** Classifies a parsed mail. Pure; looks only at headers, structure and a little text. */
export function classifyMail(mail: ClassifiableMail): MailClassification {
  const reasons: string[] = [];
  let bounce = false;
  let autoReply = false;
  let list = false;
  let spam = false;
  let suppress = false;
  let weakHints = 0;

  const fromAddress = (mail.from?.address ?? '').toLowerCase();
  const fromLocal = fromAddress.split('@')[0] ?? '';
  const subject = mail.subject ?? '';
  const returnPath = header(mail, 'return-path');
  const nullReturnPath = returnPath !== undefined && /^<\s*>$|^$/.test(returnPath.trim());
  const reportType = (mail.contentTypeParams['report-type'] ?? '').toLowerCase();
  const bounceSubject = BOUNCE_SUBJECT.test(subject.replace(/^\s*(re|fw|fwd|aw|wg)\s*:\s*/i, ''));

  // --- bounces -----------------------------------------------------------------------------
  const dsnPart = mail.attachments.find((a) => a.contentType === 'message/delivery-status' || a.contentType === 'message/global-delivery-status');
  if (mail.contentType === 'multipart/report' && reportType === 'delivery-status') {
    bounce = true;
    reasons.push('dsn=multipart/report delivery-status');
  } else if (dsnPart) {
    bounce = true;
    reasons.push('dsn=delivery-status part');
  }
  if (fromLocal === 'mailer-daemon') {
    bounce = true;
    reasons.push('sender=mailer-daemon');
  }
  if (has(mail, 'x-failed-recipients')) {
    bounce = true;
    reasons.push('x-failed-recipients');
  }
  if (has(mail, 'x-ms-exchange-message-is-ndr')) {
    bounce = true;
    reasons.push('x-ms-exchange-message-is-ndr');
  }
  if (!bounce && bounceSubject && (fromLocal === 'postmaster' || nullReturnPath || /microsoftexchange/i.test(fromLocal))) {
    bounce = true;
    reasons.push(`ndr-subject+${nullReturnPath ? 'null-return-path' : 'sender=' + fromLocal}`);
  }

  // --- auto-replies and other machine-made mail ---------------------------------------------
  const autoSubmitted = header(mail, 'auto-submitted');
  let autoSubmittedKeyword: string | undefined;
  if (autoSubmitted !== undefined && !/^no\b/i.test(autoSubmitted.trim())) {
    autoReply = true;
    autoSubmittedKeyword = autoSubmitted.trim().split(/[\s;]/)[0].toLowerCase();
    reasons.push(`auto-submitted=${autoSubmittedKeyword}`);
  }
  for (const key of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply', 'x-autogenerated']) {
    const value = header(mail, key);
    if (value !== undefined && !/^(no|false|0)$/i.test(value.trim())) {
      autoReply = true;
      reasons.push(key);
    }
  }
  if (mail.contentType === 'multipart/report' && reportType && reportType !== 'delivery-status') {
    autoReply = true;
    reasons.push(`report-type=${reportType}`);
  }
  const precedence = (header(mail, 'precedence') ?? '').trim().toLowerCase();
  if (precedence === 'junk' || precedence === 'auto_reply') {
    autoReply = true;
    reasons.push(`precedence=${precedence}`);
  } else if (precedence === 'bulk' || precedence === 'list') {
    list = true;
    reasons.push(`precedence=${precedence}`);
  }
  if (nullReturnPath) {
    autoReply = true;
    reasons.push('null-return-path');
  }

  // --- lists -------------------------------------------------------------------------------
  for (const key of ['list-id', 'list-unsubscribe', 'list-post']) {
    if (has(mail, key)) {
      list = true;
      reasons.push(key);
    }
  }

  // --- spam flags set by an upstream filter ---------------------------------------------------
  const spamFlag = header(mail, 'x-spam-flag');
  const spamStatus = header(mail, 'x-spam-status');
  const spamSimple = header(mail, 'x-spam');
  const scl = Number.parseInt(header(mail, 'x-ms-exchange-organization-scl') ?? '', 10);
  if ((spamFlag && /^\s*yes/i.test(spamFlag)) || (spamStatus && /^\s*yes/i.test(spamStatus)) || (spamSimple && /^\s*(yes|true)/i.test(spamSimple))) {
    spam = true;
    reasons.push('spam-flag');
  } else if (scl >= 5 && scl <= 9) {
    spam = true;
    reasons.push(`exchange-scl=${scl}`);
  }

  // --- weak hints: never decide the kind alone, but do stop auto-responses ---------------------
  const suppressValue = header(mail, 'x-auto-response-suppress');
  if (suppressValue && /\b(all|oof|autoreply)\b/i.test(suppressValue)) {
    suppress = true;
    weakHints++;
    reasons.push(`x-auto-response-suppress=${suppressValue.trim()}`);
  }
  if (VACATION_SUBJECT.test(subject)) {
    weakHints++;
    reasons.push('subject-vacation-hint');
  }
  if (/^(no-?reply|do-?not-?reply|noreply-.*|postmaster|bounces?(\+.*)?)$/i.test(fromLocal)) {
    weakHints++;
    reasons.push(`sender=${fromLocal}`);
  }
  if (!bounce && !autoReply && weakHints >= 2) {
    autoReply = true;
    reasons.push('weak-hints>=2');
  }

  const kind: MailKind = bounce ? 'bounce' : autoReply ? 'auto-reply' : spam ? 'spam-flagged' : list ? 'list' : 'normal';
  const result: MailClassification = {
    kind,
    reasons,
    allowAutoResponse: kind === 'normal' && weakHints === 0 && !suppress,
  };
  if (autoSubmittedKeyword) result.autoSubmitted = autoSubmittedKeyword;

  if (bounce) {
    const recipients = new Set<string>();
    let delayedOnly = false;
    if (dsnPart) {
      const entries = parseDeliveryStatus(dsnPart.content.toString('utf8'));
      const failed = entries.filter((e) => e.action === 'failed' || (!e.action && e.status.startsWith('5')));
      for (const e of failed) recipients.add(e.address);
      delayedOnly = failed.length === 0 && entries.length > 0 && entries.every((e) => e.action === 'delayed' || e.status.startsWith('4'));
    }
    for (const value of mail.headers['x-failed-recipients'] ?? []) {
      for (const m of value.matchAll(EMAIL)) recipients.add(m[0].toLowerCase());
    }
    if (recipients.size === 0 && !delayedOnly) {
      for (const address of recipientsFromText(mail)) recipients.add(address);
    }
    result.bounceStatus = delayedOnly ? 'delayed' : 'failed';
    result.bouncedRecipients = [...recipients];
    const original = bouncedMessageIdOf(mail);
    if (original) result.bouncedMessageId = original;
  }
  return result;
}

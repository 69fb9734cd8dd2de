// Turns raw RFC 822 bytes into Parley's normalized, database-free view of one incoming mail.
/// <reference path="./vendor-types.d.ts" />
import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import type { Attachment as MpAttachment, SimpleParserOptions } from 'mailparser';
import addressparser from 'nodemailer/lib/addressparser';
import type { Address } from 'nodemailer/lib/addressparser';
import libmime from 'libmime';
import { addHeader, decodeWords, splitHeaderLine } from './header-block.ts';
import type { HeaderRecord } from './header-block.ts';
import { normalizeMessageId, parseMessageIdList } from './message-id.ts';
import { sanitizeMailHtml } from './sanitize-mail-html.ts';

export type MailParseErrorCode = 'EMPTY' | 'NOT_RFC822' | 'TOO_LARGE' | 'MALFORMED';

/** Thrown for input that is not a mail at all (or cannot be read as one). */
export class MailParseError extends Error {
  readonly code: MailParseErrorCode;
  constructor(code: MailParseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailParseError';
    this.code = code;
  }
}

export type MailAddress = { address: string; name: string };

/**
 * What an attachment is for Parley:
 * - `file`: an ordinary attachment (or inline image, see `inline`)
 * - `calendar`: text/calendar or application/ics (invites)
 * - `tnef`: winmail.dat / application/ms-tnef (kept as is; Outlook-only content)
 * - `message`: an attached mail (message/rfc822), e.g. a forward or a bounced original
 * - `report`: machine-readable parts of a report (message/delivery-status, text/rfc822-headers, message/disposition-notification)
 */
export type AttachmentRole = 'file' | 'calendar' | 'tnef' | 'message' | 'report';

export type ParsedAttachment = {
  filename: string;
  contentType: string;
  size: number;
  /** Content-ID without angle brackets, or null. */
  contentId: string | null;
  /** True when the part is an embedded image shown inside the HTML body (cid: reference). */
  inline: boolean;
  role: AttachmentRole;
  content: Buffer;
  /** sha256 hex of the decoded content. */
  checksum: string;
};

export type MailParseWarning =
  | 'message-id-missing'
  | 'message-id-duplicate'
  | 'date-missing'
  | 'date-invalid'
  | 'from-missing'
  | 'from-invalid'
  /** Raw 8-bit header bytes that were not UTF-8, decoded with the body's charset (or windows-1252). */
  | 'header-8bit';

export type ParsedMail = {
  /** Canonical `<id>`; synthetic (`<sha256.parley@synthetic.invalid>`) when the mail had none. */
  messageId: string;
  messageIdSynthetic: boolean;
  inReplyTo: string | null;
  /** References header in header order (oldest first), canonical `<id>` form. */
  references: string[];
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  /** Envelope recipients recorded by the receiving servers (Delivered-To, X-Original-To, Envelope-To), lowercase, deduplicated. */
  deliveredTo: string[];
  subject: string;
  /** ISO 8601 (UTC) from the Date header; null when missing or unreadable. */
  date: string | null;
  text: string;
  /** The original HTML body (cid: links kept), or null for text-only mail. */
  html: string | null;
  /** HTML safe to display (see sanitize-mail-html.ts), or null for text-only mail. */
  sanitizedHtml: string | null;
  hasRemoteImages: boolean;
  attachments: ParsedAttachment[];
  /** Every top-level header, lowercase key, unfolded and decoded, all occurrences in order. */
  headers: HeaderRecord;
  /** Top-level content type, lowercase, e.g. 'multipart/report'. */
  contentType: string;
  /** Parameters of the top-level Content-Type (report-type, boundary, charset...). */
  contentTypeParams: Record<string, string>;
  warnings: MailParseWarning[];
  size: number;
  /** sha256 hex of the raw bytes (as given, before any normalisation). */
  sha256: string;
};

export type ParseMailOptions = {
  /** Larger input is rejected with TOO_LARGE. Default 50 MiB. */
  maxBytes?: number;
  /** Passed to sanitizeMailHtml for sanitizedHtml. Default 'keep'. */
  remoteImages?: 'keep' | 'block';
};

export const DEFAULT_MAX_MAIL_BYTES = 50 * 1024 * 1024;

const HEADER_NAME_LINE = /^[\x21-\x39\x3b-\x7e]+[ \t]*:/;
const KNOWN_HEADERS = /^(from|to|cc|subject|date|message-id|received|return-path|mime-version|content-type|delivered-to|reply-to|sender|x-[\w-]+|dkim-signature|arc-[\w-]+|authentication-results|in-reply-to|references)[ \t]*:/im;

/** Rejects input that is empty, too large or plainly not a mail; returns the bytes to parse. */
function checkInput(raw: Buffer, maxBytes: number): Buffer {
  if (!raw || raw.length === 0 || raw.toString('latin1').trim() === '') {
    throw new MailParseError('EMPTY', 'The mail is empty');
  }
  if (raw.length > maxBytes) {
    throw new MailParseError('TOO_LARGE', `The mail has ${raw.length} bytes, more than the limit of ${maxBytes}`);
  }
  let body = raw;
  // mbox "From " separator line (some exports and pipes prepend it).
  if (body.subarray(0, 5).toString('latin1') === 'From ') {
    const nl = body.indexOf(0x0a);
    body = nl >= 0 ? body.subarray(nl + 1) : Buffer.alloc(0);
  }
  // A UTF-8 BOM or blank lines before the headers (some pipes and HTTP clients add them).
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
  let start = 0;
  while (start < body.length && (body[start] === 0x0d || body[start] === 0x0a)) start++;
  if (start) body = body.subarray(start);
  const headEnd = findHeaderEnd(body);
  const head = body.subarray(0, headEnd).toString('latin1');
  const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
  if (!HEADER_NAME_LINE.test(firstLine) || head.includes('\0') || !KNOWN_HEADERS.test(head)) {
    throw new MailParseError('NOT_RFC822', 'The input does not start with RFC 822 headers');
  }
  return body;
}

function findHeaderEnd(buf: Buffer): number {
  const limit = Math.min(buf.length, 256 * 1024);
  for (let i = 0; i < limit; i++) {
    if (buf[i] === 0x0a && (buf[i + 1] === 0x0a || (buf[i + 1] === 0x0d && buf[i + 2] === 0x0a))) return i;
  }
  return limit;
}

/**
 * Decodes raw header bytes: UTF-8 when valid (RFC 6532 allows it), otherwise the charset of the
 * body (or windows-1252). `legacy8bit` is true when that fallback was needed.
 */
function decodeHeaderBytes(bytes: Buffer, fallbackCharset: string | undefined): { text: string; legacy8bit: boolean } {
  let eightBit = false;
  for (const b of bytes) {
    if (b > 0x7f) {
      eightBit = true;
      break;
    }
  }
  if (!eightBit) return { text: bytes.toString('latin1'), legacy8bit: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), legacy8bit: false };
  } catch {
    for (const charset of [fallbackCharset, 'windows-1252']) {
      if (!charset) continue;
      try {
        return { text: new TextDecoder(charset).decode(bytes), legacy8bit: true };
      } catch {
        // unknown label: try the next one
      }
    }
    return { text: bytes.toString('latin1'), legacy8bit: true };
  }
}

function rootCharset(headerLines: { key: string; line: string }[]): string | undefined {
  const ct = headerLines.find((l) => l.key === 'content-type');
  const m = ct && /charset\s*=\s*"?([\w.:-]+)"?/i.exec(ct.line);
  const charset = m?.[1]?.toLowerCase();
  return charset && !/^(us-)?ascii$|^utf-?8$/.test(charset) ? charset : undefined;
}

function isValidAddress(address: string): boolean {
  return /^[^\s@<>()",;:\\]+@[^\s@<>()",;:\\]+$/.test(address) && !address.endsWith('.');
}

function normalizeAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address.trim() : address.slice(0, at).trim() + '@' + address.slice(at + 1).trim().toLowerCase();
}

function flattenAddresses(list: Address[]): MailAddress[] {
  const out: MailAddress[] = [];
  for (const entry of list) {
    if (entry.group) {
      out.push(...flattenAddresses(entry.group));
    } else {
      out.push({ address: normalizeAddress(entry.address ?? ''), name: decodeWords((entry.name ?? '').trim()) });
    }
  }
  return out;
}

/** Parses an address header value (charset-decoded, encoded words still encoded). */
export function parseAddressList(value: string | undefined): MailAddress[] {
  if (!value) return [];
  try {
    return flattenAddresses(addressparser(value) as Address[]).filter((a) => isValidAddress(a.address));
  } catch {
    return [];
  }
}

/** Date header → ISO string; comments dropped, unknown zone names (MEZ, MSK...) read as UTC (RFC 5322 4.3). */
function parseDate(value: string | undefined): string | null {
  if (!value) return null;
  const cleaned = value.replace(/\s+\([^)]*\)\s*$/, '').trim();
  for (const candidate of [cleaned, value, cleaned.replace(/\s+[A-Za-z]{1,5}$/, ' +0000')]) {
    const d = new Date(candidate);
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return null;
}

function sha256(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

function attachmentRole(contentType: string, filename: string): AttachmentRole {
  if (contentType === 'application/ms-tnef' || contentType === 'application/vnd.ms-tnef' || /^winmail\.dat$/i.test(filename)) return 'tnef';
  if (contentType === 'text/calendar' || contentType === 'application/ics' || /\.ics$/i.test(filename)) return 'calendar';
  if (contentType === 'message/rfc822' || contentType === 'message/global') return 'message';
  if (['message/delivery-status', 'message/global-delivery-status', 'text/rfc822-headers', 'message/global-headers', 'message/disposition-notification', 'message/feedback-report'].includes(contentType)) {
    return 'report';
  }
  return 'file';
}

const DEFAULT_NAMES: Record<string, string> = {
  'message/rfc822': 'message.eml',
  'message/delivery-status': 'delivery-status.txt',
  'message/global-delivery-status': 'delivery-status.txt',
  'text/rfc822-headers': 'original-headers.txt',
  'message/disposition-notification': 'disposition-notification.txt',
  'text/calendar': 'invite.ics',
  'application/ms-tnef': 'winmail.dat',
};

/** A filename that is safe to store and show: no path, no control characters, never empty. */
export function safeFilename(name: string | undefined, contentType: string, index: number): string {
  let cleaned = (name ?? '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/^.*[\\/]/, '')
    .replace(/^\.+/, '')
    .trim();
  if (cleaned.length > 200) {
    const dot = cleaned.lastIndexOf('.');
    const ext = dot > 0 && cleaned.length - dot <= 12 ? cleaned.slice(dot) : '';
    cleaned = cleaned.slice(0, 200 - ext.length) + ext;
  }
  if (cleaned) return cleaned;
  const known = DEFAULT_NAMES[contentType];
  if (known) return known;
  let ext = 'bin';
  try {
    ext = libmime.detectExtension(contentType) || 'bin';
  } catch {
    // keep .bin
  }
  return `attachment-${index + 1}.${ext}`;
}

function referencedCids(html: string | null): Set<string> {
  const cids = new Set<string>();
  if (!html) return cids;
  for (const m of html.matchAll(/cid:([^"'\s>)]+)/gi)) {
    let cid = m[1];
    try {
      cid = decodeURIComponent(cid);
    } catch {
      // keep as is
    }
    cids.add(cid.trim().replace(/^<|>$/g, '').toLowerCase());
  }
  return cids;
}

/**
 * Parses one raw mail. Best effort for damaged mail (see `warnings`); throws MailParseError only
 * for input that is empty, too large or not a mail at all.
 */
export async function parseMail(raw: Buffer, options: ParseMailOptions = {}): Promise<ParsedMail> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MAIL_BYTES;
  const body = checkInput(raw, maxBytes);
  const digest = sha256(raw);

  const parserOptions = {
    keepCidLinks: true,
    keepDeliveryStatus: true,
    ignoreEmbedded: true,
    checksumAlgo: 'sha256',
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
    maxHtmlLengthToParse: 10 * 1024 * 1024,
  } as SimpleParserOptions;

  let mail;
  try {
    mail = await simpleParser(body, parserOptions);
  } catch (error) {
    throw new MailParseError('MALFORMED', `The mail could not be parsed: ${(error as Error).message}`, { cause: error });
  }

  const warnings = new Set<MailParseWarning>();
  const headerLines = (mail.headerLines ?? []) as { key: string; line: string }[];
  const fallbackCharset = rootCharset(headerLines);

  // Charset-decoded, unfolded values (encoded words untouched) — needed for address parsing.
  const rawValues: HeaderRecord = {};
  const headers: HeaderRecord = {};
  for (const line of headerLines) {
    const { text, legacy8bit } = decodeHeaderBytes(Buffer.from(line.line, 'latin1'), fallbackCharset);
    if (legacy8bit) warnings.add('header-8bit');
    const split = splitHeaderLine(text);
    if (!split) continue;
    const [key, value] = split;
    addHeader(rawValues, key, value);
    addHeader(headers, key, decodeWords(value));
  }
  const first = (key: string) => rawValues[key]?.[0];

  // Message-ID: the first one wins when there are several.
  const messageIds = (rawValues['message-id'] ?? []).map((v) => normalizeMessageId(decodeWords(v))).filter((v): v is string => !!v);
  if ((rawValues['message-id'] ?? []).length > 1) warnings.add('message-id-duplicate');
  let messageId = messageIds[0] ?? null;
  const messageIdSynthetic = !messageId;
  if (!messageId) {
    warnings.add('message-id-missing');
    messageId = `<${digest}.parley@synthetic.invalid>`;
  }

  const inReplyTo = normalizeMessageId(first('in-reply-to') ? decodeWords(first('in-reply-to')!) : null);
  const references = (rawValues['references'] ?? []).flatMap((v) => parseMessageIdList(decodeWords(v)));

  // From: first valid address of From, then Sender, Reply-To, Return-Path.
  let from: MailAddress | null = null;
  const fromValue = first('from');
  const fromList = parseAddressList(fromValue);
  if (fromList.length) {
    from = fromList[0];
  } else {
    warnings.add(fromValue === undefined ? 'from-missing' : 'from-invalid');
    for (const key of ['sender', 'reply-to', 'return-path']) {
      const fallback = parseAddressList(first(key))[0];
      if (fallback) {
        from = fallback;
        break;
      }
    }
  }

  const dateValue = first('date');
  const date = parseDate(dateValue);
  if (dateValue === undefined) warnings.add('date-missing');
  else if (!date) warnings.add('date-invalid');

  const subjectValue = first('subject');
  const subject = subjectValue ? decodeWords(subjectValue).replace(/[\r\n]+/g, ' ').trim() : '';

  const html = typeof mail.html === 'string' && mail.html.trim() ? mail.html : null;
  const text = (typeof mail.text === 'string' ? mail.text : '').replace(/\r\n/g, '\n');

  const cidsInHtml = referencedCids(html);
  const attachments: ParsedAttachment[] = (mail.attachments as (MpAttachment & { cid?: string; related?: boolean })[]).map((a, index) => {
    const contentType = (a.contentType || 'application/octet-stream').toLowerCase();
    const content = Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content ?? '');
    const contentId = a.contentId ? a.contentId.trim().replace(/^<|>$/g, '').trim() || null : null;
    const referenced = !!contentId && cidsInHtml.has(contentId.toLowerCase());
    const inline = !!contentId && (referenced || (!!a.related && a.contentDisposition !== 'attachment' && contentType.startsWith('image/')));
    const filename = safeFilename(a.filename, contentType, index);
    return {
      filename,
      contentType,
      size: content.length,
      contentId,
      inline,
      role: attachmentRole(contentType, filename),
      content,
      checksum: typeof a.checksum === 'string' && a.checksum.length === 64 ? a.checksum : sha256(content),
    };
  });

  let sanitizedHtml: string | null = null;
  let hasRemoteImages = false;
  if (html) {
    const result = sanitizeMailHtml(html, {
      contentIds: attachments.filter((a) => a.contentId).map((a) => a.contentId!),
      remoteImages: options.remoteImages ?? 'keep',
    });
    sanitizedHtml = result.html;
    hasRemoteImages = result.hasRemoteImages;
  }

  const contentTypeHeader = first('content-type');
  let contentType = 'text/plain';
  let contentTypeParams: Record<string, string> = {};
  if (contentTypeHeader) {
    try {
      const parsedCt = libmime.parseHeaderValue(contentTypeHeader);
      contentType = (parsedCt.value || 'text/plain').toLowerCase().trim();
      contentTypeParams = Object.fromEntries(Object.entries(parsedCt.params ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    } catch {
      // keep text/plain
    }
  }

  return {
    messageId,
    messageIdSynthetic,
    inReplyTo,
    references,
    from,
    to: parseAddressList((rawValues['to'] ?? []).join(', ')),
    cc: parseAddressList((rawValues['cc'] ?? []).join(', ')),
    replyTo: parseAddressList(first('reply-to')),
    deliveredTo: [
      ...new Set(
        ['delivered-to', 'x-original-to', 'envelope-to'].flatMap((key) => parseAddressList((rawValues[key] ?? []).join(', ')).map((a) => a.address.toLowerCase())),
      ),
    ],
    subject,
    date,
    text,
    html,
    sanitizedHtml,
    hasRemoteImages,
    attachments,
    headers,
    contentType,
    contentTypeParams,
    warnings: [...warnings],
    size: raw.length,
    sha256: digest,
  };
}

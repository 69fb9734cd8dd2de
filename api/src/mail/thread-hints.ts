// Hints for threading an incoming mail onto an existing ticket: ticket numbers in the subject and
// referenced Message-IDs. The caller looks them up (Message-IDs first, then numbers).
import type { ParsedMail } from './parse-mail.ts';

/**
 * How a tenant writes ticket numbers into subjects.
 * - `hook`: the text before the number, e.g. 'Ticket#' (matched case-insensitively; may be '').
 * - `numberPattern`: what a number looks like (no anchors, no capture groups needed).
 *   Default: 4 to 24 digits. For prefix+counter numbers use e.g. { hook: '', numberPattern: /SUP-\d+/ }.
 *   With an empty hook the pattern alone is searched, so make it specific.
 */
export type TicketHook = { hook: string; numberPattern?: RegExp };

const DEFAULT_NUMBER = /\d{4,24}/;

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toHook(hook: string | TicketHook): TicketHook {
  return typeof hook === 'string' ? { hook } : hook;
}

function numberSource(hook: TicketHook): string {
  return (hook.numberPattern ?? DEFAULT_NUMBER).source;
}

/** Regex for "hook + number", bracketed or bare: [Ticket#123], Ticket#123, Ticket# 123, Ticket#: 123. */
function hookRegExp(hook: TicketHook, flags: string): RegExp {
  const number = numberSource(hook);
  const h = hook.hook.trim();
  if (!h) return new RegExp(`(?<![\\p{L}\\p{N}])(${number})(?![\\p{L}\\p{N}])`, flags + 'u');
  // Between hook and number: optional ':' and spaces (OTRS' TicketHookDivider).
  return new RegExp(`${escapeRegExp(h)}\\s*:?\\s*(${number})(?![\\p{N}])`, flags + 'iu');
}

/** Ticket numbers in a subject, in order of appearance, without duplicates. */
export function extractTicketNumbers(subject: string, hook: string | TicketHook): string[] {
  const h = toHook(hook);
  const found: string[] = [];
  for (const m of (subject ?? '').matchAll(hookRegExp(h, 'g'))) {
    if (!found.includes(m[1])) found.push(m[1]);
  }
  return found;
}

/**
 * Message-IDs this mail refers to, most specific first: In-Reply-To, then References from the
 * newest to the oldest. Deduplicated; the mail's own Message-ID is left out.
 */
export function referencedMessageIds(parsed: Pick<ParsedMail, 'inReplyTo' | 'references' | 'messageId'>): string[] {
  const ids: string[] = [];
  if (parsed.inReplyTo) ids.push(parsed.inReplyTo);
  for (let i = parsed.references.length - 1; i >= 0; i--) ids.push(parsed.references[i]);
  return [...new Set(ids)].filter((id) => id !== parsed.messageId);
}

// Reply/forward prefixes in the languages Parley ships (EN, DE, RU, RO) and common others:
// Re, RE, Re[2], Re(2), Re^2, AW, Antw, WG, Fwd, Fw, FW, TR, SV, VS, Odp, Rif, Ответ, Отв, Пересл, Răspuns, Răsp, Redirecționat.
const PREFIX = new RegExp(
  '^\\s*(?:re|aw|antw|antwort|wg|fwd?|tr|sv|vs|odp|rif|ответ|отв|пересл|переслать|fw|răspuns|raspuns|răsp|rasp|redirecționat|redirectionat)' +
    '(?:\\s*[[(]\\d+[\\])]|\\^\\d+)?\\s*[:：]\\s*',
  'iu',
);

/** The subject without reply/forward prefixes and without the ticket hook + number. */
export function cleanSubject(subject: string, hook: string | TicketHook): string {
  const h = toHook(hook);
  let s = (subject ?? '').replace(/\s+/g, ' ').trim();
  const bracketed = h.hook.trim()
    ? new RegExp(`[\\[(]\\s*${escapeRegExp(h.hook.trim())}\\s*:?\\s*(?:${numberSource(h)})\\s*[\\])]`, 'giu')
    : new RegExp(`[\\[(]\\s*(?:${numberSource(h)})\\s*[\\])]`, 'gu');
  const bare = hookRegExp(h, 'g');
  for (let guard = 0; guard < 50; guard++) {
    const before = s;
    s = s.replace(bracketed, ' ').replace(bare, ' ').replace(/\s+/g, ' ').trim();
    s = s.replace(PREFIX, '').trim();
    // Leftover separators after removing a leading hook ("Ticket#1: subject", "- subject").
    s = s.replace(/^[\s:\-–—|]+/, '').trim();
    if (s === before) break;
  }
  return s;
}

/**
 * Subject for outgoing mail: `[Ticket#N] Re: subject` (prefix optional), whatever prefixes and
 * hooks the subject already had — never doubled.
 */
export function subjectWithTicketNumber(subject: string, hook: string | TicketHook, number: string, options: { prefix?: string } = {}): string {
  const h = toHook(hook);
  const clean = cleanSubject(subject, h);
  const prefix = options.prefix ? `${options.prefix.replace(/:\s*$/, '')}: ` : '';
  return `[${h.hook.trim()}${number}] ${prefix}${clean}`.trim();
}

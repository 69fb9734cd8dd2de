// Parsing of plain RFC 5322 header blocks (as found in text/rfc822-headers and message/rfc822 parts).
/// <reference path="./vendor-types.d.ts" />
import libmime from 'libmime';

export type HeaderRecord = Record<string, string[]>;

/** Unfolds one raw header line ("Key: value\r\n continued") into [lowercase key, value]. */
export function splitHeaderLine(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const key = line.slice(0, colon).trim().toLowerCase();
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(key)) return null;
  const value = line
    .slice(colon + 1)
    .replace(/\r?\n(?=[ \t])/g, '')
    .replace(/[\r\n]+$/g, '')
    .trim();
  return [key, value];
}

/** Decodes RFC 2047 encoded words, keeping the input when decoding fails. */
export function decodeWords(value: string): string {
  try {
    return libmime.decodeWords(value);
  } catch {
    return value;
  }
}

/** Adds a header to a record, keeping every occurrence in order. */
export function addHeader(record: HeaderRecord, key: string, value: string): void {
  (record[key] ??= []).push(value);
}

/**
 * Parses the header section of a raw message or header block (stops at the first empty line).
 * Values are unfolded and encoded words decoded; keys are lowercase.
 */
export function parseHeaderBlock(raw: string | Buffer): HeaderRecord {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end >= 0 ? text.slice(0, end) : text;
  const record: HeaderRecord = {};
  const lines = head.split(/\r?\n/);
  let current = '';
  const flush = () => {
    if (!current) return;
    const parsed = splitHeaderLine(current);
    if (parsed) addHeader(record, parsed[0], decodeWords(parsed[1]));
    current = '';
  };
  for (const line of lines) {
    if (/^[ \t]/.test(line) && current) {
      current += '\n' + line;
    } else {
      flush();
      current = line;
    }
  }
  flush();
  return record;
}

/** First value of a header, or undefined. */
export function firstHeader(record: HeaderRecord, key: string): string | undefined {
  return record[key.toLowerCase()]?.[0];
}

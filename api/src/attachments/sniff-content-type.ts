/** Image types a browser may show inline from our origin: raster formats only (SVG can carry script). */
export const INLINE_SAFE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const SIGNATURES: { type: string; test: (b: Buffer) => boolean }[] = [
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => /^GIF8[79]a/.test(b.subarray(0, 6).toString('latin1')) },
  { type: 'image/webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
  { type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'application/gzip', test: (b) => b[0] === 0x1f && b[1] === 0x8b },
  { type: 'application/zip', test: (b) => b[0] === 0x50 && b[1] === 0x4b && (b[2] === 0x03 || b[2] === 0x05 || b[2] === 0x07) },
];

/** Formats that are ZIP containers: a declared type of these is kept when the bytes are a ZIP. */
const ZIP_BASED = /^application\/(vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.|epub\+zip|java-archive|x-zip-compressed)/;
const MARKUP = /^\s*(<!doctype html|<html|<head|<body|<script|<svg|<\?xml)/i;
const WELL_FORMED = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/;

/**
 * The content type recorded for an upload, from its first bytes (at least 16 for the signatures)
 * and what the client declared. Recognized signatures win over the declaration; markup (HTML, SVG,
 * XML) is recorded as what it is whatever was declared, so it is never taken for an image; a
 * declared image type the bytes do not confirm becomes application/octet-stream. Anything else
 * keeps a well-formed declared type (parameters dropped), or application/octet-stream.
 */
export function sniffContentType(head: Buffer, declared: string | null | undefined): string {
  const claimed = (declared ?? '').split(';')[0].trim().toLowerCase();
  const sniffed = SIGNATURES.find((s) => s.test(head))?.type;
  if (sniffed === 'application/zip' && ZIP_BASED.test(claimed)) return claimed;
  if (sniffed) return sniffed;
  const text = head.subarray(0, 512).toString('utf8');
  if (MARKUP.test(text)) return /<svg/i.test(text) ? 'image/svg+xml' : /^\s*<\?xml/i.test(text) && !/<html/i.test(text) ? 'application/xml' : 'text/html';
  if (!WELL_FORMED.test(claimed)) return 'application/octet-stream';
  if (claimed.startsWith('image/') || claimed === 'text/html' || claimed.includes('xml') || claimed.includes('javascript')) return 'application/octet-stream';
  return claimed;
}

/** Whether a download may be shown inline (Content-Disposition: inline) rather than saved. */
export const isInlineSafe = (contentType: string) => INLINE_SAFE_TYPES.has(contentType);

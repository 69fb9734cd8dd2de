const MAX_BYTES = 200;

/**
 * A file name safe to store, show and send back in Content-Disposition: the last path segment only,
 * Unicode NFC, no control or bidirectional-override characters, no characters Windows forbids,
 * no leading dots (hidden files) or trailing dots/spaces, at most 200 UTF-8 bytes with the
 * extension kept. Nothing left → "attachment".
 */
export function sanitizeFilename(raw: string | null | undefined): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  if (!name) return 'attachment';
  return truncateUtf8(name, MAX_BYTES);
}

function truncateUtf8(name: string, maxBytes: number): string {
  const enc = new TextEncoder();
  if (enc.encode(name).length <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = ext ? name.slice(0, dot) : name;
  const budget = maxBytes - enc.encode(ext).length;
  // Cut whole code points (never half a surrogate pair) until the stem fits.
  const points = [...stem];
  while (points.length && enc.encode(points.join('')).length > budget) points.pop();
  stem = points.join('').trimEnd();
  return `${stem || 'attachment'}${ext}`;
}

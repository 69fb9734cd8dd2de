// Message-ID handling shared by parsing, threading and composing.
// Canonical form everywhere in Parley: `<local@domain>` — angle brackets included, no whitespace.

const BRACKETED = /<([^<>\s]+)>/g;

/** Canonical `<id>` form of one Message-ID-like value, or null when nothing usable is in it. */
export function normalizeMessageId(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  // Prefer the first bracketed token that looks like an id (`<a@b>`), then any bracketed token.
  const bracketed = [...trimmed.matchAll(BRACKETED)].map((m) => m[1]);
  const withAt = bracketed.find((id) => id.includes('@'));
  const picked = withAt ?? bracketed[0];
  if (picked) return `<${picked}>`;
  // No brackets: take the first whitespace/comma separated token that contains '@' (or the only token).
  const tokens = trimmed.split(/[\s,;]+/).filter(Boolean);
  const token = tokens.find((t) => t.includes('@')) ?? (tokens.length === 1 ? tokens[0] : undefined);
  if (!token) return null;
  const bare = token.replace(/^<+|>+$/g, '').replace(/[<>]/g, '');
  return bare ? `<${bare}>` : null;
}

/** All Message-IDs in a References-like header value, in header order, deduplicated. */
export function parseMessageIdList(value: string | null | undefined): string[] {
  if (!value) return [];
  const found: string[] = [];
  const bracketed = [...value.matchAll(BRACKETED)].map((m) => `<${m[1]}>`);
  if (bracketed.length) {
    found.push(...bracketed);
  } else {
    for (const token of value.split(/[\s,;]+/)) {
      if (token.includes('@')) {
        const id = normalizeMessageId(token);
        if (id) found.push(id);
      }
    }
  }
  return [...new Set(found)];
}

/** The id without angle brackets (for Content-ID style comparisons or display). */
export function bareMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '');
}

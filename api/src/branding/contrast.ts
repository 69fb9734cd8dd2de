// WCAG 2.x contrast: a tenant's primary colour carries white text (buttons, header, mail band),
// so it must reach 4.5:1 against white (AA for normal text).

const HEX = /^#([0-9a-f]{6})$/i;

/** "#RRGGBB" (or "#RGB") → lower-case "#rrggbb"; null when it is not a hex colour. */
export function normalizeHexColor(input: string): string | null {
  const s = input.trim().toLowerCase();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/.exec(s);
  if (short) return `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}`;
  return HEX.test(s) ? s : null;
}

/** Relative luminance of a "#rrggbb" colour (WCAG 2.x definition). */
export function relativeLuminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** Contrast ratio of white text on the colour, 1 … 21. */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (relativeLuminance(hex) + 0.05);
}

export const MIN_CONTRAST_AA = 4.5;

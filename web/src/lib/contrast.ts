// WCAG 2.x contrast of white text on a colour (same maths as api/src/branding/contrast.ts), for
// the branding page's live preview; the API decides.
export function contrastWithWhite(hex: string): number | null {
	const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
	if (!m) return null;
	const n = Number.parseInt(m[1], 16);
	const ch = (c: number) => {
		const v = c / 255;
		return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
	};
	const l = 0.2126 * ch((n >> 16) & 255) + 0.7152 * ch((n >> 8) & 255) + 0.0722 * ch(n & 255);
	return 1.05 / (l + 0.05);
}

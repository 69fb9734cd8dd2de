// The HTML alternative of a branded outgoing mail: a header band in the tenant's primary colour
// with its display name (white text: the colour was contrast-checked when set), then the plain
// text body, escaped, line breaks kept. The text part stays the mail's primary content.

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface MailBranding { name: string; primaryColor: string | null }

const DEFAULT_COLOR = '#3b49c4';

export function brandedMailHtml(branding: MailBranding, text: string): string {
  const color = /^#[0-9a-f]{6}$/i.test(branding.primaryColor ?? '') ? branding.primaryColor! : DEFAULT_COLOR;
  return [
    '<!doctype html><html><body style="margin:0;padding:0;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#1f2328">',
    `<div style="background:${color};color:#ffffff;padding:12px 20px;font-weight:600;font-size:16px">${escapeHtml(branding.name)}</div>`,
    `<div style="padding:16px 20px;white-space:pre-wrap;line-height:1.5">${escapeHtml(text)}</div>`,
    '</body></html>',
  ].join('');
}

// Tiny, safe placeholder rendering for mail templates and auto-responses:
// `{{ticket.number}}`, `{{ticket.title}}`, `{{customer.name}}`, `{{agent.name}}`, `{{queue.name}}`...
// No expressions, no eval, no prototype access: a placeholder is a dotted path into plain data.

export type TemplateValue = string | number | boolean | Date | null | undefined;
export type TemplateData = { [key: string]: TemplateValue | TemplateData };

export type RenderFormat = 'text' | 'html';

export type RenderedTemplate = {
  output: string;
  /** Placeholders whose path is not in the data (rendered as ''), in order, deduplicated. */
  unknown: string[];
};

/** Placeholders Parley documents for tenant templates (the admin UI can offer these). */
export const TEMPLATE_PLACEHOLDERS = [
  'ticket.number',
  'ticket.title',
  'ticket.state',
  'ticket.priority',
  'ticket.url',
  'customer.name',
  'customer.email',
  'agent.name',
  'queue.name',
  'tenant.name',
] as const;

const PLACEHOLDER = /\{\{\s*([a-zA-Z_][\w]*(?:\.[a-zA-Z_][\w]*){0,5})\s*\}\}/g;
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function lookup(data: TemplateData, path: string): { found: boolean; value?: TemplateValue } {
  let current: TemplateValue | TemplateData = data;
  for (const key of path.split('.')) {
    if (FORBIDDEN.has(key) || current === null || typeof current !== 'object' || current instanceof Date) return { found: false };
    if (!Object.prototype.hasOwnProperty.call(current, key)) return { found: false };
    current = (current as TemplateData)[key];
  }
  if (current !== null && typeof current === 'object' && !(current instanceof Date)) return { found: false };
  return { found: true, value: current as TemplateValue };
}

function stringify(value: TemplateValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
  return String(value);
}

/** Placeholder paths used by a template, in order, deduplicated (for validating templates on save). */
export function templatePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * Replaces `{{path}}` placeholders with values from `data`. In 'html' format values are
 * HTML-escaped (the template itself is trusted tenant content). Unknown paths render as ''
 * and are reported. Text that merely looks similar (`{{ 1+1 }}`, `{{a-b}}`) is left untouched.
 */
export function renderTemplate(template: string, data: TemplateData, format: RenderFormat = 'text'): RenderedTemplate {
  const unknown: string[] = [];
  const output = template.replace(PLACEHOLDER, (_match, path: string) => {
    const { found, value } = lookup(data, path);
    if (!found) {
      if (!unknown.includes(path)) unknown.push(path);
      return '';
    }
    const text = stringify(value);
    return format === 'html' ? escapeHtml(text) : text;
  });
  return { output, unknown };
}

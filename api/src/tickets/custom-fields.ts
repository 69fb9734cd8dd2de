import { Prisma, withTenant, type CustomFieldType, type Db } from '@parley/db';
import { z } from 'zod';
import { actorOf } from '../auth/viewer.ts';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { sanitizeMailHtml } from '../mail/sanitize-mail-html.ts';
import { recordHistory } from './history.ts';
import { loadTicketForUpdate } from './load-ticket.ts';
import { requirePermission } from './queue-access.ts';
import type { UseCaseContext } from './ticket-context.ts';

const types = ['TEXT', 'TEXTAREA', 'DROPDOWN', 'MULTISELECT', 'CHECKBOXES', 'RADIO', 'DATE', 'DATETIME', 'HTML'] as const;
const withOptions = new Set<CustomFieldType>(['DROPDOWN', 'MULTISELECT', 'CHECKBOXES', 'RADIO']);

export const saveCustomFieldInput = z.object({
  id: z.uuid().optional(),
  key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,49}$/, 'use lower-case letters, digits and _'),
  label: z.string().trim().min(1).max(200),
  type: z.enum(types),
  options: z.array(z.string().trim().min(1).max(200)).max(200).default([]),
  queueId: z.uuid().nullable().default(null),
  required: z.boolean().default(false),
  visibleToCustomer: z.boolean().default(true),
  position: z.number().int().min(0).max(10_000).default(0),
}).refine((f) => !withOptions.has(f.type) || f.options.length > 0, { message: 'this type needs options', path: ['options'] });

/** Defines (or changes) a custom field of one of the nine RSTickets types, per queue or for all. */
export async function saveCustomField(db: Db, tenantId: string, raw: z.input<typeof saveCustomFieldInput>) {
  const { id, ...data } = parseInput(saveCustomFieldInput, raw);
  try {
    return await withTenant(db, tenantId, async (tx) => {
      if (data.queueId && !(await tx.queue.findFirst({ where: { id: data.queueId } }))) throw new NotFoundError('Queue');
      if (!id) return tx.customFieldDefinition.create({ data: { tenantId, ...data } });
      if (!(await tx.customFieldDefinition.findFirst({ where: { id } }))) throw new NotFoundError('Custom field');
      return tx.customFieldDefinition.update({ where: { id }, data });
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError(`A custom field with the key ${data.key} exists already`);
    throw e;
  }
}

/** Checks and normalises one value against its field's type; null clears it. */
export function coerceCustomValue(field: { key: string; type: CustomFieldType; options: string[] }, value: unknown): Prisma.InputJsonValue | null {
  if (value === null || value === undefined || value === '') return null;
  const fail = (msg: string): never => { throw new ValidationError(`${field.key}: ${msg}`, field.key); };
  switch (field.type) {
    case 'TEXT':
    case 'TEXTAREA':
      if (typeof value !== 'string') fail('expected text');
      if ((value as string).length > (field.type === 'TEXT' ? 1000 : 100_000)) fail('too long');
      return value as string;
    case 'HTML':
      if (typeof value !== 'string') fail('expected HTML text');
      return sanitizeMailHtml(value as string).html;
    case 'DROPDOWN':
    case 'RADIO':
      if (typeof value !== 'string' || !field.options.includes(value)) fail(`expected one of ${field.options.join(', ')}`);
      return value as string;
    case 'MULTISELECT':
    case 'CHECKBOXES': {
      const list = Array.isArray(value) ? value : fail('expected a list');
      const unknown = list.filter((v) => typeof v !== 'string' || !field.options.includes(v));
      if (unknown.length) fail(`not an option: ${unknown.join(', ')}`);
      return [...new Set(list as string[])];
    }
    case 'DATE':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) fail('expected a date YYYY-MM-DD');
      return value as string;
    case 'DATETIME': {
      const d = typeof value === 'string' ? new Date(value) : new Date(NaN);
      if (Number.isNaN(d.getTime())) fail('expected an ISO-8601 date and time');
      return d.toISOString();
    }
  }
}

/** Sets custom-field values of a ticket (rw on its queue), with a history entry per change. */
export async function setTicketCustomFields(ctx: UseCaseContext, ticketId: string, values: Array<{ key: string; value: unknown }>) {
  const { viewer } = ctx;
  return withTenant(ctx.db, viewer.tenantId, async (tx) => {
    const { ticket, access } = await loadTicketForUpdate(tx, viewer, ticketId);
    if (viewer.kind === 'agent') requirePermission(access!, ticket.queueId, 'RW', 'change custom fields');
    else throw new ValidationError('Customers set custom fields when they open a ticket');
    const fields = await tx.customFieldDefinition.findMany({ where: { key: { in: values.map((v) => v.key) }, OR: [{ queueId: null }, { queueId: ticket.queueId }] } });
    const byKey = new Map(fields.map((f) => [f.key, f]));
    const current = await tx.customFieldValue.findMany({ where: { ticketId } });
    const history = [];
    for (const { key, value } of values) {
      const field = byKey.get(key);
      if (!field) throw new ValidationError(`${key}: no such custom field in this queue`, key);
      const coerced = coerceCustomValue(field, value);
      if (coerced === null && field.required) throw new ValidationError(`${key}: required`, key);
      const old = current.find((c) => c.fieldId === field.id)?.value ?? null;
      const pk = { tenantId_ticketId_fieldId: { tenantId: viewer.tenantId, ticketId, fieldId: field.id } };
      if (coerced === null) await tx.customFieldValue.deleteMany({ where: { ticketId, fieldId: field.id } });
      else await tx.customFieldValue.upsert({ where: pk, create: { tenantId: viewer.tenantId, ticketId, fieldId: field.id, value: coerced }, update: { value: coerced } });
      if (JSON.stringify(old) !== JSON.stringify(coerced)) history.push({ action: 'custom_field_changed', field: key, oldValue: old === null ? null : JSON.stringify(old), newValue: coerced === null ? null : JSON.stringify(coerced) });
    }
    await recordHistory(tx, viewer.tenantId, ticketId, actorOf(viewer), history);
    if (history.length) await tx.ticket.update({ where: { id: ticketId }, data: { updatedAt: new Date() } });
    return tx.ticket.findUniqueOrThrow({ where: { id: ticketId } });
  });
}

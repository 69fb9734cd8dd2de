import { Prisma, withTenant, type Db } from '@parley/db';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../errors/app-error.ts';
import { parseInput } from '../errors/parse-input.ts';
import { forgetVocabulary } from '../tickets/vocabulary.ts';

/**
 * A tenant's own names for states (on top of the seven OTRS state types), priorities (levels
 * 1–5), ticket types and templates: create, rename, (de)activate. Nothing is deleted, so
 * history and old tickets keep their meaning.
 */
const name = z.string().trim().min(1).max(100);
const stateInput = z.object({ id: z.uuid().optional(), name, type: z.enum(['NEW', 'OPEN', 'PENDING_REMINDER', 'PENDING_AUTO_CLOSE', 'CLOSED', 'MERGED', 'REMOVED']).optional(), active: z.boolean().optional() });
const priorityInput = z.object({ id: z.uuid().optional(), name, level: z.number().int().min(1).max(5).optional(), color: z.string().regex(/^#[0-9a-f]{6}$/i).nullable().optional(), active: z.boolean().optional() });
const typeInput = z.object({ id: z.uuid().optional(), name, active: z.boolean().optional() });
const templateInput = z.object({ id: z.uuid().optional(), name, kind: z.enum(['ANSWER', 'CREATE', 'FORWARD', 'NOTE', 'SNIPPET']).optional(), body: z.string().min(1).max(100_000).optional(), active: z.boolean().optional() });

type Delegate = 'ticketState' | 'priority' | 'ticketType' | 'standardTemplate';

async function save(db: Db, tenantId: string, delegate: Delegate, label: string, data: { id?: string; name: string } & Record<string, unknown>, required: string[]) {
  try {
    const saved = await withTenant(db, tenantId, async (tx) => {
      const d = tx[delegate] as unknown as {
        findFirst(a: object): Promise<{ id: string } | null>; create(a: object): Promise<unknown>; update(a: object): Promise<unknown>;
      };
      const { id, ...fields } = data;
      if (id) {
        if (!(await d.findFirst({ where: { id } }))) throw new NotFoundError(label);
        return d.update({ where: { id }, data: fields });
      }
      for (const key of required) if (fields[key] === undefined) throw new ValidationError(`${key} is required for a new ${label.toLowerCase()}`, key);
      return d.create({ data: { tenantId, ...fields } });
    });
    forgetVocabulary(tenantId);
    return saved;
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') throw new ConflictError(`A ${label.toLowerCase()} named ${data.name} exists already`);
    throw e;
  }
}

export const saveState = (db: Db, tenantId: string, raw: z.input<typeof stateInput>) => save(db, tenantId, 'ticketState', 'State', parseInput(stateInput, raw), ['type']);
export const savePriority = (db: Db, tenantId: string, raw: z.input<typeof priorityInput>) => save(db, tenantId, 'priority', 'Priority', parseInput(priorityInput, raw), ['level']);
export const saveTicketType = (db: Db, tenantId: string, raw: z.input<typeof typeInput>) => save(db, tenantId, 'ticketType', 'Ticket type', parseInput(typeInput, raw), []);
export const saveTemplate = (db: Db, tenantId: string, raw: z.input<typeof templateInput>) => save(db, tenantId, 'standardTemplate', 'Template', parseInput(templateInput, raw), ['body']);

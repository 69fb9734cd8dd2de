import { z } from 'zod';
import type { HeaderRecord } from '../header-block.ts';

/** One condition of a PostMaster filter: a header (case-insensitive) matched by a regular expression. */
export const filterCondition = z.object({
  header: z.string().trim().min(1).max(100),
  pattern: z.string().min(1).max(200),
  negate: z.boolean().optional(),
});
/** What a matching filter does (OTRS X-OTRS-Queue/Priority/State/Ignore). */
export const filterActions = z.object({
  queueId: z.uuid().optional(),
  priorityId: z.uuid().optional(),
  stateId: z.uuid().optional(),
  ignore: z.boolean().optional(),
});
export type FilterCondition = z.infer<typeof filterCondition>;
export type FilterActions = z.infer<typeof filterActions>;

export interface PostmasterFilterRule { name: string; match: unknown; set: unknown; stop: boolean }

export interface FilterOutcome extends FilterActions { matched: string[] }

/** Header values a filter sees: all occurrences joined, capped (tenant regexes run on them). */
function headerValue(headers: HeaderRecord, name: string): string {
  return (headers[name.toLowerCase()] ?? []).join('\n').slice(0, 4000);
}

/**
 * Applies the tenant's filters in order: a filter matches when every condition does (a negated
 * condition when its pattern does NOT match); later matches override earlier actions; `stop`
 * ends the evaluation. Invalid stored rules and invalid regexes never match.
 */
export function applyPostmasterFilters(headers: HeaderRecord, filters: PostmasterFilterRule[]): FilterOutcome {
  const out: FilterOutcome = { matched: [] };
  for (const f of filters) {
    const match = z.array(filterCondition).min(1).safeParse(f.match);
    const set = filterActions.safeParse(f.set);
    if (!match.success || !set.success) continue;
    let all = true;
    for (const c of match.data) {
      let re: RegExp;
      try {
        re = new RegExp(c.pattern, 'iu');
      } catch {
        all = false;
        break;
      }
      if (re.test(headerValue(headers, c.header)) === Boolean(c.negate)) {
        all = false;
        break;
      }
    }
    if (!all) continue;
    out.matched.push(f.name);
    Object.assign(out, Object.fromEntries(Object.entries(set.data).filter(([, v]) => v !== undefined)));
    if (f.stop) break;
  }
  return out;
}

/**
 * The queue by recipient (OTRS dispatching by system address): the first of the envelope
 * recipients, then To/Cc, that is one of the tenant's system addresses.
 */
export function queueByRecipient(candidates: string[], addresses: Map<string, string>): string | null {
  for (const c of candidates) {
    const q = addresses.get(c.trim().toLowerCase());
    if (q) return q;
  }
  return null;
}

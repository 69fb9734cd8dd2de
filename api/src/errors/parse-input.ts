import type { z } from 'zod';
import { ValidationError } from './app-error.ts';

/** Validates use-case input with zod; the first problem becomes a ValidationError naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`${issue.path.join('.') || 'input'}: ${issue.message}`, issue.path.join('.') || null);
  }
  return parsed.data;
}

// Helpers for the tenant admin form actions: reading form fields and turning a mutation's union
// result into success or a `fail()` the page shows (ValidationError.field next to its field).
import { fail } from '@sveltejs/kit';
import type { AdminError } from '#lib/graphql/admin.ts';
import type { MessageKey } from '#lib/i18n/index.ts';

export interface AdminFailure {
	/** Which form failed (pages have several). */
	form: string;
	error: MessageKey;
	/** The API's message (English, from the API) for the details. */
	message?: string;
	/** ValidationError.field, e.g. `name` or `ticketPrefix`. */
	field?: string | null;
	/** What was submitted, to refill the form without JavaScript. */
	values?: Record<string, string>;
}

const STATUS: Record<string, number> = { ValidationError: 400, ConflictError: 409, NotFoundError: 404, ForbiddenError: 403 };
const KEYS: Record<string, MessageKey> = {
	ValidationError: 'admin.err.validation',
	ConflictError: 'admin.err.conflict',
	NotFoundError: 'admin.err.notFound',
	ForbiddenError: 'admin.err.forbidden'
};

/** `null` when the payload is a success type, else the `fail()` to return from the action. */
export function adminFailure(form: string, payload: { __typename: string }, data?: FormData) {
	if (payload.__typename.endsWith('Success')) return null;
	const err = payload as AdminError;
	const values = data ? Object.fromEntries([...data.entries()].filter(([k, v]) => typeof v === 'string' && !/password|secret/i.test(k)).map(([k, v]) => [k, v as string])) : undefined;
	return fail(STATUS[err.__typename] ?? 500, {
		form,
		error: KEYS[err.__typename] ?? 'error.generic',
		message: err.message,
		field: 'field' in err ? err.field : null,
		values
	} satisfies AdminFailure);
}

export function text(data: FormData, name: string): string {
	const v = data.get(name);
	return typeof v === 'string' ? v.trim() : '';
}
/** Empty → null. */
export function optText(data: FormData, name: string): string | null {
	return text(data, name) || null;
}
export function checked(data: FormData, name: string): boolean {
	const v = data.get(name);
	return v === 'on' || v === 'true' || v === '1';
}
/** Empty → null; not a whole number → NaN (the API answers with a ValidationError). */
export function optInt(data: FormData, name: string): number | null {
	const v = text(data, name);
	if (!v) return null;
	return /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
}
export function all(data: FormData, name: string): string[] {
	return data.getAll(name).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** A field the web app itself rejects (e.g. not a number) before asking the API. */
export function invalidField(form: string, field: string, data: FormData) {
	return adminFailure(form, { __typename: 'ValidationError', code: 'VALIDATION', message: `${field}: not a whole number`, field } as AdminError, data)!;
}

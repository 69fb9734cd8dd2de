// Form <-> API shapes for the calendar, SLA and automation rule editors (plain forms, no JS needed):
// weekly hours as "09:00-12:00, 13:00-17:00" per day, holidays one per line, rule conditions and
// actions as rows of one select (field and value in one option) plus free-text inputs.
import { adminFailure, text } from './admin.ts';
import type { AdminError } from '#lib/graphql/admin.ts';
import type { Holiday, Interval, RuleAction, RuleCondition } from '#lib/graphql/adminAutomation.ts';

/** A ValidationError the web app itself found, shown next to `field` like the API's. */
export function fieldFailure(form: string, field: string, message: string, data: FormData) {
	return adminFailure(form, { __typename: 'ValidationError', code: 'VALIDATION', message: `${field}: ${message}`, field } as AdminError, data)!;
}

const TIME = /^(\d{1,2}):(\d{2})$/;
const pad = (t: string) => {
	const m = TIME.exec(t.trim());
	return m ? `${m[1].padStart(2, '0')}:${m[2]}` : null;
};

/** "09:00-12:00, 13:00-17:00" → intervals (the API checks order and overlaps); an error text when unreadable. */
export function parseIntervals(input: string): Interval[] | { error: string } {
	const parts = input.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
	const out: Interval[] = [];
	for (const part of parts) {
		const [a, b, ...rest] = part.split(/\s*[-–]\s*/);
		const start = a ? pad(a) : null;
		const end = b ? pad(b) : null;
		if (!start || !end || rest.length) return { error: `"${part}" is not HH:MM-HH:MM` };
		out.push({ start, end });
	}
	return out;
}

/** One holiday per line: "2026-12-24 Christmas Eve" (once) or "12-25 Christmas Day" (every year). */
export function parseHolidays(input: string): Holiday[] | { error: string } {
	const out: Holiday[] = [];
	for (const line of input.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
		const once = /^(\d{4}-\d{2}-\d{2})(?:\s+(.*))?$/.exec(line);
		const yearly = /^(\d{1,2})-(\d{1,2})(?:\s+(.*))?$/.exec(line);
		if (once) out.push({ date: once[1], ...(once[2] ? { name: once[2].slice(0, 200) } : {}) });
		else if (yearly) out.push({ month: Number(yearly[1]), day: Number(yearly[2]), ...(yearly[3] ? { name: yearly[3].slice(0, 200) } : {}) });
		else return { error: `"${line.slice(0, 60)}" is neither YYYY-MM-DD nor MM-DD` };
	}
	return out;
}
// ---- Automation rule rows ----

/** The rows `<prefix>.<i>` / `<prefix>Value.<i>` of one list (all-of: cond, any-of: any); errors name `<listName>.<n>`. */
export function conditionsFromForm(data: FormData, rows: number, prefix: 'cond' | 'any' = 'cond', listName = 'conditions'): RuleCondition[] | { field: string; error: string } {
	const out: RuleCondition[] = [];
	for (let i = 0; i < rows; i++) {
		const token = text(data, `${prefix}.${i}`);
		if (!token) continue;
		const value = text(data, `${prefix}Value.${i}`);
		const field = `${listName}.${out.length}`;
		const eq = token.indexOf('=');
		const name = eq < 0 ? token : token.slice(0, eq);
		if (name === 'titleContains') out.push({ field: name, value });
		else if (name === 'pendingOverdue') out.push({ field: name });
		else if (name === 'idleMinutes') {
			if (!/^\d+$/.test(value)) return { field, error: 'minutes must be a whole number' };
			out.push({ field: name, atLeast: Number(value) });
		} else if (name === 'customField') {
			const k = value.indexOf('=');
			if (k <= 0) return { field, error: 'write key=value' };
			out.push({ field: name, key: value.slice(0, k).trim(), equals: value.slice(k + 1).trim() });
		} else out.push({ field: name, equals: token.slice(eq + 1) });
	}
	return out;
}

export function actionsFromForm(data: FormData, rows: number): RuleAction[] {
	const out: RuleAction[] = [];
	for (let i = 0; i < rows; i++) {
		const token = text(data, `act.${i}`);
		if (!token) continue;
		const eq = token.indexOf('=');
		const type = eq < 0 ? token : token.slice(0, eq);
		const target = eq < 0 ? '' : token.slice(eq + 1);
		if (type === 'add_note') out.push({ type, body: text(data, `actBody.${i}`) });
		else if (type === 'send_customer_mail') out.push({ type, subject: text(data, `actSubject.${i}`), body: text(data, `actBody.${i}`) });
		else if (type === 'set_queue') out.push({ type, queueId: target });
		else if (type === 'set_priority') out.push({ type, priorityId: target });
		else if (type === 'set_state') out.push({ type, stateId: target });
		else if (type === 'set_owner' || type === 'set_responsible') out.push({ type, userId: target || null });
		else if (type === 'call_webhook') out.push({ type, webhookId: target });
	}
	return out;
}

// Shown in the admin editors and read back by the form actions (lib/server/admin-automation.ts).
import type { Holiday, Interval, RuleAction, RuleCondition } from '#lib/graphql/adminAutomation.ts';

export const formatIntervals = (intervals: Interval[] | undefined) => (intervals ?? []).map((i) => `${i.start}-${i.end}`).join(', ');

export function formatHolidays(holidays: Holiday[] | undefined) {
	return (holidays ?? [])
		.map((h) => ('date' in h ? h.date : `${String(h.month).padStart(2, '0')}-${String(h.day).padStart(2, '0')}`) + (h.name ? ` ${h.name}` : ''))
		.join('\n');
}

/** Conditions whose option carries its value (`field=value`); the others read the row's text input. */
export const TEXT_CONDITIONS = ['titleContains', 'customField', 'idleMinutes'] as const;

/** The option value that selects this condition in its row's select. */
export function conditionToken(c: RuleCondition): string {
	if ((TEXT_CONDITIONS as readonly string[]).includes(c.field) || c.field === 'pendingOverdue') return c.field;
	return `${c.field}=${c.equals ?? ''}`;
}
/** The row's text input for a condition (title text, "key=value" of a custom field, minutes). */
export function conditionText(c: RuleCondition): string {
	if (c.field === 'titleContains') return c.value ?? '';
	if (c.field === 'customField') return `${c.key ?? ''}=${c.equals ?? ''}`;
	if (c.field === 'idleMinutes') return String(c.atLeast ?? '');
	return '';
}

export const TEXT_ACTIONS = ['add_note', 'send_customer_mail'] as const;

export function actionToken(a: RuleAction): string {
	if ((TEXT_ACTIONS as readonly string[]).includes(a.type)) return a.type;
	const target = a.queueId ?? a.priorityId ?? a.stateId ?? a.webhookId ?? a.userId ?? '';
	return `${a.type}=${target}`;
}

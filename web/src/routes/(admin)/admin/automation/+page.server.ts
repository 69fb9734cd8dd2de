import { redirect } from '@sveltejs/kit';
import {
	ADMIN_RULES,
	AUTOMATION_TRIGGERS,
	DELETE_RULE,
	SAVE_RULE,
	type AdminRulesResult,
	type AutomationTrigger,
	type RuleInput,
	type RuleResult
} from '#lib/graphql/adminAutomation.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { adminFailure, all, checked, invalidField, optInt, text } from '#lib/server/admin.ts';
import { actionsFromForm, conditionsFromForm, fieldFailure } from '#lib/server/admin-automation.ts';
import type { Actions, PageServerLoad } from './$types';


export const load: PageServerLoad = async (event) => {
	const data = await graphqlRequest<AdminRulesResult>(event, ADMIN_RULES);
	const editId = event.url.searchParams.get('edit');
	return { ...data, editing: data.automationRules.find((r) => r.id === editId) ?? null };
};

export const actions: Actions = {
	save: async (event) => {
		const data = await event.request.formData();
		const position = optInt(data, 'position');
		if (Number.isNaN(position)) return invalidField('rule', 'position', data);
		const conditions = conditionsFromForm(data, Math.min(Number(text(data, 'condRows')) || 0, 20));
		if ('error' in conditions) return fieldFailure('rule', conditions.field, conditions.error, data);
		const anyConditions = conditionsFromForm(data, Math.min(Number(text(data, 'anyRows')) || 0, 20), 'any', 'anyConditions');
		if ('error' in anyConditions) return fieldFailure('rule', anyConditions.field, anyConditions.error, data);
		const input: RuleInput = {
			name: text(data, 'name'),
			active: checked(data, 'active'),
			position: position ?? 0,
			triggers: all(data, 'triggers').filter((t): t is AutomationTrigger => (AUTOMATION_TRIGGERS as readonly string[]).includes(t)),
			conditions,
			anyConditions,
			actions: actionsFromForm(data, Math.min(Number(text(data, 'actRows')) || 0, 10))
		};
		const id = text(data, 'id');
		if (id) input.id = id;
		const res = await graphqlRequest<{ saveAutomationRule: RuleResult }>(event, SAVE_RULE, { input });
		const failure = adminFailure('rule', res.saveAutomationRule, data);
		if (failure) {
			// a multi-valued field: refill every ticked trigger
			if (failure.data.values) failure.data.values.triggers = input.triggers.join(',');
			return failure;
		}
		redirect(303, '/admin/automation?saved=1');
	},
	/** Active on/off from the list: the rule is saved as it is with the flag flipped. */
	toggle: async (event) => {
		const data = await event.request.formData();
		const { automationRules } = await graphqlRequest<AdminRulesResult>(event, ADMIN_RULES);
		const rule = automationRules.find((r) => r.id === text(data, 'id'));
		if (!rule) return adminFailure('list', { __typename: 'NotFoundError', code: 'NOT_FOUND', message: 'Automation rule' } as never);
		const { updatedAt: _u, ...input } = rule;
		const res = await graphqlRequest<{ saveAutomationRule: RuleResult }>(event, SAVE_RULE, { input: { ...input, active: !rule.active } });
		const failure = adminFailure('list', res.saveAutomationRule);
		if (failure) return failure;
		redirect(303, '/admin/automation?saved=1');
	},
	delete: async (event) => {
		const data = await event.request.formData();
		const res = await graphqlRequest<{ deleteAutomationRule: RuleResult }>(event, DELETE_RULE, { id: text(data, 'id') });
		const failure = adminFailure('list', res.deleteAutomationRule);
		if (failure) return failure;
		redirect(303, '/admin/automation?deleted=1');
	}
};

import { error } from '@sveltejs/kit';
import { RULE_RUNS, type RuleRunsResult } from '#lib/graphql/adminAutomation.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const { automationRule } = await graphqlRequest<RuleRunsResult>(event, RULE_RUNS, { id: event.params.id });
	if (!automationRule) error(404, 'Automation rule not found');
	return { rule: automationRule };
};

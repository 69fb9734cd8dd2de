import { error } from '@sveltejs/kit';
import { ANALYTICS, type AnalyticsResult } from '#lib/graphql/analytics.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { analyticsParams } from '#lib/server/analytics-range.ts';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	if (event.locals.viewer?.kind !== 'ADMIN') error(403, 'Analytics are for administrators');
	const params = analyticsParams(event.url);
	if (!params.valid) return { params, analytics: null, invalid: true };
	const { analytics } = await graphqlRequest<AnalyticsResult>(event, ANALYTICS, { from: params.from, to: params.to, groupBy: params.groupBy, interval: params.interval });
	return { params, analytics, invalid: false };
};

import { MY_RATINGS, type MyRatingsResult } from '#lib/graphql/analytics.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import type { PageServerLoad } from './$types';

// Every agent's own ratings (all time): average, distribution, latest comments.
export const load: PageServerLoad = async (event) => {
	const { myRatings } = await graphqlRequest<MyRatingsResult>(event, MY_RATINGS, {});
	return { myRatings };
};

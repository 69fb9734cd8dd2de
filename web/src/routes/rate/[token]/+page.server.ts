import { RATE_BY_TOKEN, RATING_LINK, scoresOf, type RateResult, type RatingLinkResult } from '#lib/graphql/ratings.ts';
import { graphqlRequest } from '#lib/server/api.ts';
import { postedScore, rateResult } from '#lib/server/ratings.ts';
import { str } from '#lib/server/results.ts';
import type { Actions, PageServerLoad } from './$types';

// The one-click links in reply mail (`/rate/<token>?score=N`, api/src/ratings/rating-links.ts).
// Public: no session needed (the token names tenant and reply). GET only shows the form with the
// score preselected; the single-use token is spent on POST, so mail scanners that pre-fetch links
// do not use it up.

export const load: PageServerLoad = async (event) => {
	const { ratingLink } = await graphqlRequest<RatingLinkResult>(event, RATING_LINK, { token: event.params.token }, { token: null });
	const scale = ratingLink.scale ?? 'FIVE_STARS';
	const wanted = Number(event.url.searchParams.get('score'));
	return {
		status: ratingLink.status,
		scale,
		scores: scoresOf(scale),
		preselected: scoresOf(scale).includes(wanted) ? wanted : null
	};
};

export const actions: Actions = {
	default: async (event) => {
		const form = await event.request.formData();
		const score = postedScore(form);
		const comment = str(form, 'comment');
		if (score === null) return { error: 'rate.err.score' as const, comment };
		const data = await graphqlRequest<RateResult<'rateByToken'>>(
			event,
			RATE_BY_TOKEN,
			{ token: event.params.token, score, comment: comment || null },
			{ token: null }
		);
		const result = rateResult(data.rateByToken);
		if (!result.ok) return result.failure;
		return { done: true as const, score: result.rating.score, reopened: result.reopened };
	}
};

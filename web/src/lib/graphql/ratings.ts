import { ERROR_FIELDS, type ApiErrorShape } from './common.ts';

// Ratings of agent replies and of solved tickets (api/src/ratings). A score is 1..5; on a
// good/bad scale only 5 (good) and 1 (bad) are accepted.

export type RatingScale = 'FIVE_STARS' | 'GOOD_BAD';
export type RatingLinkStatus = 'VALID' | 'USED' | 'EXPIRED' | 'INVALID';

export interface Rating {
	id: string;
	target: 'REPLY' | 'TICKET';
	score: number;
	comment: string | null;
	articleId: string | null;
}

/** The scores a scale offers, best first. */
export const scoresOf = (scale: RatingScale): number[] => (scale === 'GOOD_BAD' ? [5, 1] : [5, 4, 3, 2, 1]);

/** Public (no login): does the mail link still work, and which scale; does not spend the token. */
export const RATING_LINK = /* GraphQL */ `
	query RatingLink($token: String!) { ratingLink(token: $token) { status scale } }
`;
export interface RatingLinkResult {
	ratingLink: { status: RatingLinkStatus; scale: RatingScale | null };
}

/** The customer's own ratings on one ticket, and the tenant's scale. */
export const TICKET_RATINGS = /* GraphQL */ `
	query TicketRatings($ticketId: ID!) {
		ratingScale
		ratings(filter: { ticketId: $ticketId }, first: 500) { id target score comment articleId }
	}
`;
export interface TicketRatingsResult {
	ratingScale: RatingScale;
	ratings: Rating[];
}

const RATE_RESULT = (success: string) => /* GraphQL */ `
	__typename
	... on ${success} { result { reopened rating { id target score comment articleId } } }
	... on ValidationError { field }
	${ERROR_FIELDS}
`;

export const RATE_BY_TOKEN = /* GraphQL */ `
	mutation RateByToken($token: String!, $score: Int!, $comment: String) {
		rateByToken(token: $token, score: $score, comment: $comment) { ${RATE_RESULT('RateByTokenSuccess')} }
	}
`;
export const RATE_REPLY = /* GraphQL */ `
	mutation RateReply($articleId: ID!, $score: Int!, $comment: String) {
		rateReply(articleId: $articleId, score: $score, comment: $comment) { ${RATE_RESULT('RateReplySuccess')} }
	}
`;
export const RATE_TICKET = /* GraphQL */ `
	mutation RateTicket($ticketId: ID!, $score: Int!, $comment: String) {
		rateTicket(ticketId: $ticketId, score: $score, comment: $comment) { ${RATE_RESULT('RateTicketSuccess')} }
	}
`;

export type RatePayload =
	| { __typename: 'RateByTokenSuccess' | 'RateReplySuccess' | 'RateTicketSuccess'; result: { reopened: boolean; rating: Rating } }
	| (ApiErrorShape & { __typename: 'ValidationError'; field: string | null })
	| (ApiErrorShape & { __typename: 'NotFoundError' | 'ForbiddenError' | 'ConflictError' });

export type RateResult<K extends 'rateByToken' | 'rateReply' | 'rateTicket'> = { [P in K]: RatePayload };

// Analytics (api/src/analytics): figures over [from, to) from the rollups, for administrators;
// "my ratings" for every agent.

export const GROUP_BYS = ['NONE', 'QUEUE', 'AGENT', 'TYPE', 'COMPANY'] as const;
export type GroupBy = (typeof GROUP_BYS)[number];
export const INTERVALS = ['DAY', 'WEEK', 'MONTH'] as const;
export type Interval = (typeof INTERVALS)[number];
export const CSV_KINDS = ['tickets', 'series', 'ratings', 'incidents'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

export interface Duration { count: number; median: number | null; p90: number | null }
export interface Compliance { count: number; met: number; percent: number | null }
export interface TicketStats {
	key: string | null;
	label: string | null;
	created: number;
	solved: number;
	backlog: number;
	firstResponse: Duration;
	resolution: Duration;
	firstResponseBusiness: Duration;
	resolutionBusiness: Duration;
	slaFirstResponse: Compliance;
	slaSolution: Compliance;
	timeMinutes: number;
	agentReplies: number;
}
export interface SeriesPoint {
	start: string;
	created: number;
	solved: number;
	backlog: number;
	firstResponseBusiness: { median: number | null };
	resolutionBusiness: { median: number | null };
}
export interface AnalyticsResult {
	analytics: {
		tickets: TicketStats[];
		series: SeriesPoint[];
		ratings: { count: number; average: number | null; distribution: number[]; perAgent: { agentId: string; name: string | null; count: number; average: number }[] };
		incidents: { sold: number; granted: number; consumed: number; refunded: number; expired: number; perRequestCharges: number; revenue: { currency: string; amountCents: number }[] };
	};
}

const D = 'count median p90';
export const ANALYTICS = /* GraphQL */ `
	query Analytics($from: DateTime!, $to: DateTime!, $groupBy: AnalyticsGroupBy, $interval: AnalyticsInterval) {
		analytics(from: $from, to: $to) {
			series(interval: $interval) { start created solved backlog firstResponseBusiness { median } resolutionBusiness { median } }
			tickets(groupBy: $groupBy) {
				key label created solved backlog timeMinutes agentReplies
				firstResponse { ${D} } resolution { ${D} } firstResponseBusiness { ${D} } resolutionBusiness { ${D} }
				slaFirstResponse { count met percent } slaSolution { count met percent }
			}
			ratings { count average distribution perAgent { agentId name count average } }
			incidents { sold granted consumed refunded expired perRequestCharges revenue { currency amountCents } }
		}
	}
`;

export interface MyRatingsResult {
	myRatings: { count: number; average: number | null; distribution: number[]; recentComments: { id: string; score: number; comment: string | null; createdAt: string }[] };
}
export const MY_RATINGS = /* GraphQL */ `
	query MyRatings($from: DateTime, $to: DateTime) {
		myRatings(from: $from, to: $to, comments: 10) { count average distribution recentComments { id score comment createdAt } }
	}
`;

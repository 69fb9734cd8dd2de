/*
 * "Most specific wins" choice of the SLA for a ticket.
 *
 * An assignment names an SLA and any subset of criteria (null/absent = any value). It matches a
 * ticket when each criterion it names equals the ticket's value (a ticket without a company
 * matches only assignments that name no company). Among matches, the one whose criteria rank
 * highest wins, compared like binary numbers: each criterion has a weight, 2^(n-1-i) for its
 * position i in SLA_CRITERIA, and an assignment's rank is the sum of its criteria's weights.
 * With the default order company > ticketType > priority > queue:
 *
 *   company+type+priority+queue 15 > company+type+priority 14 > company+type+queue 13 >
 *   company+type 12 > company+priority+queue 11 > company+priority 10 > company+queue 9 >
 *   company 8 > type+priority+queue 7 > type+priority 6 > type+queue 5 > type 4 >
 *   priority+queue 3 > priority 2 > queue 1 > tenant default (no criteria) 0
 *
 * i.e. a criterion outweighs every combination of the criteria after it. Two assignments with the
 * same criteria set for the same values are a configuration error (findSlaConflicts; enforce with
 * a unique index); should they occur anyway, the one earlier in the input wins.
 */

export const SLA_CRITERIA = ['companyId', 'ticketTypeId', 'priorityId', 'queueId'] as const;
export type SlaCriterion = (typeof SLA_CRITERIA)[number];

export type SlaTicketFacts = Partial<Record<SlaCriterion, string | null>>;
export type SlaAssignment = { slaId: string } & Partial<Record<SlaCriterion, string | null>>;
export type SlaSelection<A extends SlaAssignment> = {
  slaId: string;
  assignment: A;
  /** Criteria the winning assignment matched on, most significant first; [] = tenant default. */
  matchedOn: SlaCriterion[];
  rank: number;
};

function criteriaOf(a: SlaAssignment, order: readonly SlaCriterion[]): SlaCriterion[] {
  return order.filter((k) => a[k] != null);
}

export function slaRank(a: SlaAssignment, order: readonly SlaCriterion[] = SLA_CRITERIA): number {
  return order.reduce((rank, k, i) => (a[k] != null ? rank + 2 ** (order.length - 1 - i) : rank), 0);
}

export function selectSla<A extends SlaAssignment>(
  ticket: SlaTicketFacts,
  assignments: readonly A[],
  order: readonly SlaCriterion[] = SLA_CRITERIA,
): SlaSelection<A> | null {
  let best: SlaSelection<A> | null = null;
  for (const a of assignments) {
    const on = criteriaOf(a, order);
    if (!on.every((k) => ticket[k] != null && ticket[k] === a[k])) continue;
    const rank = slaRank(a, order);
    if (best === null || rank > best.rank) best = { slaId: a.slaId, assignment: a, matchedOn: on, rank };
  }
  return best;
}

/** Groups of assignments that can never be told apart (same criteria, same values). */
export function findSlaConflicts<A extends SlaAssignment>(
  assignments: readonly A[],
  order: readonly SlaCriterion[] = SLA_CRITERIA,
): A[][] {
  const groups = new Map<string, A[]>();
  for (const a of assignments) {
    const key = JSON.stringify(order.map((k) => a[k] ?? null));
    groups.set(key, [...(groups.get(key) ?? []), a]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

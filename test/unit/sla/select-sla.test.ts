import { describe, expect, it } from 'vitest';
import { findSlaConflicts, selectSla, SLA_CRITERIA, slaRank } from '@parley/api/sla/select-sla.ts';
import type { SlaAssignment, SlaTicketFacts } from '@parley/api/sla/select-sla.ts';

const assignments: SlaAssignment[] = [
  { slaId: 'default' },
  { slaId: 'queue-support', queueId: 'support' },
  { slaId: 'prio-urgent', priorityId: 'urgent' },
  { slaId: 'type-incident', ticketTypeId: 'incident' },
  { slaId: 'company-acme', companyId: 'acme' },
  { slaId: 'acme-incident', companyId: 'acme', ticketTypeId: 'incident' },
];
const ticket = (facts: SlaTicketFacts) => selectSla(facts, assignments)?.slaId ?? null;

describe('selectSla: most specific wins', () => {
  it('type + company beats company', () => {
    expect(ticket({ companyId: 'acme', ticketTypeId: 'incident', priorityId: 'urgent', queueId: 'support' })).toBe('acme-incident');
  });
  it('company beats type, priority and queue', () => {
    expect(ticket({ companyId: 'acme', ticketTypeId: 'question', priorityId: 'urgent', queueId: 'support' })).toBe('company-acme');
  });
  it('type beats priority and queue', () => {
    expect(ticket({ companyId: 'globex', ticketTypeId: 'incident', priorityId: 'urgent', queueId: 'support' })).toBe('type-incident');
  });
  it('priority beats queue', () => {
    expect(ticket({ companyId: 'globex', ticketTypeId: 'question', priorityId: 'urgent', queueId: 'support' })).toBe('prio-urgent');
  });
  it('queue beats the tenant default', () => {
    expect(ticket({ priorityId: 'normal', queueId: 'support' })).toBe('queue-support');
  });
  it('the tenant default applies when nothing else matches', () => {
    expect(ticket({ priorityId: 'normal', queueId: 'sales' })).toBe('default');
    expect(ticket({})).toBe('default');
  });
  it('no match and no default gives null', () => {
    expect(selectSla({ queueId: 'sales' }, assignments.slice(1))).toBeNull();
  });
  it('a ticket without a company (or type) matches no assignment that names one', () => {
    expect(ticket({ companyId: null, ticketTypeId: 'question', priorityId: 'low', queueId: 'support' })).toBe('queue-support');
  });
  it('reports what it matched on, most significant first', () => {
    const s = selectSla({ companyId: 'acme', ticketTypeId: 'incident' }, assignments);
    expect(s).toMatchObject({ slaId: 'acme-incident', matchedOn: ['companyId', 'ticketTypeId'], rank: 12 });
    expect(s?.assignment).toBe(assignments[5]);
    expect(selectSla({}, assignments)?.matchedOn).toEqual([]);
  });
  it('does not depend on the order of the assignments', () => {
    const facts = { companyId: 'acme', ticketTypeId: 'incident', priorityId: 'urgent', queueId: 'support' };
    expect(selectSla(facts, [...assignments].reverse())?.slaId).toBe('acme-incident');
  });
  it('combinations rank like binary numbers: a criterion outweighs all criteria after it together', () => {
    expect(slaRank({ slaId: 'x', companyId: 'a' })).toBeGreaterThan(slaRank({ slaId: 'x', ticketTypeId: 't', priorityId: 'p', queueId: 'q' }));
    expect(slaRank({ slaId: 'x', companyId: 'a', queueId: 'q' })).toBeGreaterThan(slaRank({ slaId: 'x', companyId: 'a' }));
    expect(slaRank({ slaId: 'x', priorityId: 'p', queueId: 'q' })).toBe(3);
    const ranked = [
      { slaId: 'company+priority', companyId: 'acme', priorityId: 'urgent' },
      { slaId: 'company+queue', companyId: 'acme', queueId: 'support' },
      { slaId: 'type+priority+queue', ticketTypeId: 'incident', priorityId: 'urgent', queueId: 'support' },
    ];
    expect(selectSla({ companyId: 'acme', ticketTypeId: 'incident', priorityId: 'urgent', queueId: 'support' }, ranked)?.slaId).toBe(
      'company+priority',
    );
  });
  it('the precedence is data: a tenant may rank queue above everything', () => {
    const order = ['queueId', 'companyId', 'ticketTypeId', 'priorityId'] as const;
    expect(selectSla({ companyId: 'acme', ticketTypeId: 'incident', queueId: 'support' }, assignments, order)?.slaId).toBe('queue-support');
    expect(SLA_CRITERIA).toEqual(['companyId', 'ticketTypeId', 'priorityId', 'queueId']);
  });
  it('two assignments that cannot be told apart: the earlier wins, and findSlaConflicts reports them', () => {
    const dup = [...assignments, { slaId: 'acme-2', companyId: 'acme', ticketTypeId: null }];
    expect(selectSla({ companyId: 'acme' }, dup)?.slaId).toBe('company-acme');
    expect(findSlaConflicts(dup).map((g) => g.map((a) => a.slaId))).toEqual([['company-acme', 'acme-2']]);
    expect(findSlaConflicts(assignments)).toEqual([]);
  });
});

import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => { api = await startTestApi(); });
afterAll(() => api.close());

describe('GraphQL over HTTP spec (graphql-http audits against the live endpoint)', () => {
  it('passes every MUST audit', async () => {
    const audits = serverAudits({ url: () => api.url, fetchFn: fetch });
    const failures: string[] = [];
    let musts = 0;
    for (const audit of audits) {
      const result = await audit.fn();
      if (audit.name.startsWith('MUST')) {
        musts++;
        if (result.status !== 'ok') failures.push(`${audit.name}: ${result.reason}`);
      }
    }
    expect(musts).toBeGreaterThan(10);
    expect(failures).toEqual([]);
  });
});

describe('bad input gets a typed error, never a 500', () => {
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json' }) =>
    fetch(api.url, { method: 'POST', headers, body });

  it.each([
    ['malformed JSON', '{"query": "{ me { id } "', 400],
    ['syntax error', JSON.stringify({ query: '{ me { id }' }), 400],
    ['unknown field', JSON.stringify({ query: '{ nope }' }), 400],
    ['wrong variable type', JSON.stringify({ query: 'query($n: String!) { ticket(number: $n) { id } }', variables: { n: 42 } }), 400],
    ['missing variable', JSON.stringify({ query: 'query($n: String!) { ticket(number: $n) { id } }' }), 400],
  ])('%s → %i with an error message', async (_name, body, status) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const json = await res.json() as { errors: Array<{ message: string }> };
    expect(json.errors[0].message.length).toBeGreaterThan(0);
    expect(JSON.stringify(json)).not.toMatch(/\bat .+\.ts:\d+/); // no stack traces
  });

  it('refuses oversized bodies with 413', async () => {
    const res = await post(JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(3 * 1024 * 1024) } }));
    expect(res.status).toBe(413);
  });

  it('refuses a chunked body without Content-Length (411), so the size limit cannot be sidestepped', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(api.url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', (err) => (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err));
      req.write('{"query":"{ me { id } }","variables":{"pad":"');
      req.end('x".repeat(10)}');
    });
    expect(status).toBe(411);
  });

  it('refuses queries nested too deep', async () => {
    const { createTenantFixture } = await import('../support/factories.ts');
    const f = await createTenantFixture(api);
    let q = 'id';
    for (let i = 0; i < 20; i++) q = `mergedInto { ${q} }`;
    const res = await post(JSON.stringify({ query: `{ tickets { edges { node { ${q} } } } }` }),
      { 'content-type': 'application/json', authorization: `Bearer ${f.agent.token}` });
    const json = await res.json() as { errors: Array<{ message: string }> };
    expect(json.errors[0].message).toMatch(/depth|complexity/i);
  });

  it('gives typed NOT_FOUND / VALIDATION for unknown and malformed ids', async () => {
    const { createTenantFixture } = await import('../support/factories.ts');
    const f = await createTenantFixture(api);
    const unknown = await api.gql('mutation { lockTicket(input: { ticketId: "00000000-0000-4000-8000-000000000000" }) { __typename ... on Error { code } } }', {}, f.agent.token);
    expect(unknown.data.lockTicket).toEqual({ __typename: 'NotFoundError', code: 'NOT_FOUND' });
    const malformed = await api.gql('mutation { lockTicket(input: { ticketId: "not-an-id" }) { __typename ... on Error { code } } }', {}, f.agent.token);
    expect(malformed.data.lockTicket).toEqual({ __typename: 'ValidationError', code: 'VALIDATION' });
    const badQueue = await api.gql('mutation { createTicket(input: { queueId: "zzz", title: "t", body: "b" }) { __typename ... on ValidationError { field } } }', {}, f.agent.token);
    expect(badQueue.data.createTicket).toEqual({ __typename: 'ValidationError', field: 'queueId' });
    const emptyTitle = await api.gql(`mutation($q: ID!) { createTicket(input: { queueId: $q, title: "  ", body: "b" }) { __typename ... on ValidationError { field } } }`, { q: f.queue('Support').id }, f.agent.token);
    expect(emptyTitle.data.createTicket).toEqual({ __typename: 'ValidationError', field: 'title' });
    const node = await api.gql('{ node(id: "garbage") { id } }', {}, f.agent.token);
    expect(node.status).toBeLessThan(500);
  });
});

describe('ids in filters and arguments', () => {
  it('rejects malformed ids in filters with a typed error, not a database error', async () => {
    const { createTenantFixture } = await import('../support/factories.ts');
    const f = await createTenantFixture(api);
    const r = await api.gql('{ tickets(filter: { queueIds: ["nope"] }) { totalCount } }', {}, f.agent.token);
    expect(r.status).toBeLessThan(500);
    expect(r.errors![0].extensions!.code).toBe('VALIDATION');
  });
});

describe('CSRF prevention for cookie sessions', () => {
  it('refuses requests a browser would send without a preflight, unless they carry x-parley-csrf', async () => {
    const { createTenantFixture } = await import('../support/factories.ts');
    const f = await createTenantFixture(api);
    const cookie = `parley_session=${encodeURIComponent(f.agent.token)}`;
    const form = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: `query=${encodeURIComponent('mutation { logout }')}`,
    });
    expect(form.status).toBe(403);
    const get = await fetch(`${api.url}?query=${encodeURIComponent('{ me { name } }')}`, { headers: { cookie } });
    expect(get.status).toBe(403);
    const withHeader = await fetch(`${api.url}?query=${encodeURIComponent('{ me { name } }')}`, { headers: { cookie, 'x-parley-csrf': '1', accept: 'application/json' } });
    expect(((await withHeader.json()) as any).data.me.name).toBe('Alice Agent');
    const json = await api.gql('{ me { name } }', {}, f.agent.token);
    expect(json.data.me.name).toBe('Alice Agent');
  });
});

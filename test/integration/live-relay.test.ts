// The web app's SSE relay (web/src/lib/server/live/sse-relay.ts) against a real API: it opens a
// graphql-ws socket with the session token, forwards results as named SSE events, sends
// heartbeats, and closes the upstream socket when the browser goes away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createTenantFixture, openTicket, type TenantFixture } from '../support/factories.ts';
import { relaySubscriptions, sseFrame, wsUrlOf } from '../../web/src/lib/server/live/sse-relay.ts';
import { LIVE_TICKET_EVENTS, LIVE_TICKET_PRESENCE } from '../../web/src/lib/graphql/live.ts';

let a: TestApi;
let f: TenantFixture;
let g: TenantFixture;

beforeAll(async () => {
  a = await startTestApi();
  [f, g] = await Promise.all([createTenantFixture(a), createTenantFixture(a)]);
});
afterAll(async () => {
  await a.close();
});

/** A WebSocket class that remembers its instances, to see the relay's upstream socket. */
function countingWebSocket() {
  const sockets: WebSocket[] = [];
  class Counting extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  return { sockets, impl: Counting as typeof WebSocket };
}

/** Reads SSE frames from a Response body as { event, data } (comments as { comment }). */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: Array<{ event?: string; data?: any; comment?: string }> = [];
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const frame: { event?: string; data?: any; comment?: string } = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) frame.comment = line.slice(1).trim();
          else if (line.startsWith('event: ')) frame.event = line.slice(7);
          else if (line.startsWith('data: ')) frame.data = JSON.parse(line.slice(6));
        }
        frames.push(frame);
      }
    }
  })().catch(() => {});
  return {
    frames,
    pump,
    async waitFor(pred: (f: { event?: string; data?: any; comment?: string }) => boolean, ms = 5000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const hit = frames.find(pred);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no matching SSE frame within ${ms} ms; got ${JSON.stringify(frames)}`);
    },
    cancel: () => reader.cancel(),
  };
}

const ADD_ARTICLE = `mutation($input: AddArticleInput!) { addArticle(input: $input) { __typename } }`;

describe('SSE relay', () => {
  it('converts http(s) API URLs to ws(s) and frames events on one line', () => {
    expect(wsUrlOf('http://127.0.0.1:4000/graphql')).toBe('ws://127.0.0.1:4000/graphql');
    expect(wsUrlOf('https://api.example/graphql')).toBe('wss://api.example/graphql');
    expect(sseFrame('ticket', { a: 'x\ny' })).toBe('event: ticket\ndata: {"a":"x\\ny"}\n\n');
  });

  it('forwards ticket events and presence, sends heartbeats, and closes the upstream socket when the browser leaves', async () => {
    const t = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'relay', body: 'x' });
    const ws = countingWebSocket();
    const browser = new AbortController();
    let ended = 0;
    const res = relaySubscriptions(
      [{ event: 'ticket', query: LIVE_TICKET_EVENTS, variables: { ticketId: t.id } }, { event: 'presence', query: LIVE_TICKET_PRESENCE, variables: { ticketId: t.id } }],
      { token: f.agent.token, wsUrl: a.wsUrl, signal: browser.signal, heartbeatMs: 200, webSocketImpl: ws.impl, onEnd: () => ended++ },
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const sse = sseReader(res);
    await sse.waitFor((fr) => fr.event === 'ready');
    expect((await sse.waitFor((fr) => fr.event === 'presence')).data).toEqual({ ticketPresence: [] });
    await new Promise((r) => setTimeout(r, 300)); // the API's Redis SUBSCRIBE settles

    await a.gql(ADD_ARTICLE, { input: { ticketId: t.id, kind: 'NOTE', body: 'from Bob' } }, f.agent2.token);
    const added = await sse.waitFor((fr) => fr.event === 'ticket' && fr.data.ticketChanged.kind === 'ARTICLE_ADDED');
    expect(added.data.ticketChanged).toMatchObject({ actorUserId: f.agent2.id, changes: null });
    expect(added.data.ticketChanged.articleId).toMatch(/^[0-9a-f-]{36}$/);
    await a.gql(`mutation($input: AnnounceTicketPresenceInput!) { announceTicketPresence(input: $input) { __typename } }`, { input: { ticketId: t.id, activity: 'REPLYING' } }, f.agent2.token);
    const presence = await sse.waitFor((fr) => fr.event === 'presence' && fr.data.ticketPresence.length === 1);
    expect(presence.data.ticketPresence[0]).toMatchObject({ agentId: f.agent2.id, name: 'Bob Agent', activity: 'REPLYING' });
    await sse.waitFor((fr) => fr.comment === 'ping');

    expect(ws.sockets).toHaveLength(1);
    expect(ws.sockets[0].readyState).toBe(WebSocket.OPEN);
    browser.abort();
    await sse.cancel().catch(() => {});
    const deadline = Date.now() + 3000;
    while (ws.sockets[0].readyState !== WebSocket.CLOSED && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(ws.sockets[0].readyState).toBe(WebSocket.CLOSED);
    expect(ended).toBe(1); // the stream quota slot is released exactly once
  });

  it('stream quota per session: slots are taken and given back (hashed token keys)', async () => {
    const { acquireStream, openStreams } = await import('../../web/src/lib/server/live/stream-quota.ts');
    const token = `tok-${Math.random()}`;
    const slots = [acquireStream(token, 2), acquireStream(token, 2)];
    expect(slots.every(Boolean)).toBe(true);
    expect(acquireStream(token, 2)).toBeNull();
    expect(acquireStream(`${token}-other`, 2)).not.toBeNull();
    slots[0]!();
    slots[0]!(); // idempotent
    expect(openStreams(token)).toBe(1);
    expect(acquireStream(token, 2)).not.toBeNull();
  });

  it('a bad token ends the stream with UNAUTHENTICATED, and nothing is relayed', async () => {
    const ws = countingWebSocket();
    const res = relaySubscriptions([{ event: 'ticket', query: LIVE_TICKET_EVENTS, variables: { ticketId: 'x' } }], { token: 'not-a-session', wsUrl: a.wsUrl, webSocketImpl: ws.impl });
    const sse = sseReader(res);
    await sse.pump;
    expect(sse.frames.map((fr) => fr.event)).toEqual(['closed']);
    expect(sse.frames[0].data.code).toBe('UNAUTHENTICATED');
  });

  it('tenant B\'s relay, pointed at tenant A\'s ticket, gets an error and none of its events', async () => {
    const t = await openTicket(a, f.agent.token, { queueId: f.queue('Support').id, title: 'secret', body: 'x' });
    const res = relaySubscriptions(
      [{ event: 'ticket', query: LIVE_TICKET_EVENTS, variables: { ticketId: t.id } }, { event: 'presence', query: LIVE_TICKET_PRESENCE, variables: { ticketId: t.id } }],
      { token: g.admin.token, wsUrl: a.wsUrl },
    );
    const sse = sseReader(res);
    // the presence subscription refuses the ticket (NotFound): the relay ends the whole stream
    const closed = await sse.waitFor((fr) => fr.event === 'closed');
    expect(closed.data).toMatchObject({ code: 'NOT_FOUND' });
    await a.gql(ADD_ARTICLE, { input: { ticketId: t.id, kind: 'NOTE', body: 'secret note' } }, f.agent.token);
    await new Promise((r) => setTimeout(r, 500));
    expect(sse.frames.filter((fr) => fr.event === 'ticket')).toEqual([]);
    await sse.cancel().catch(() => {});
  });
});

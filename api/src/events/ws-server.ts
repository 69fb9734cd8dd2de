import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import type { ExecutionArgs } from 'graphql';
import type { YogaServerInstance } from 'graphql-yoga';
import { authenticate } from '../auth/authenticate.ts';
import type { Viewer } from '../auth/viewer.ts';
import type { Services } from '../services.ts';

/** The token of a graphql-ws `connection_init` payload: `{ authorization: 'Bearer …' }` or `{ token }`. */
export function connectionToken(params: Record<string, unknown> | undefined): string | null {
  const auth = params?.authorization ?? params?.Authorization;
  if (typeof auth === 'string' && auth.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim() || null;
  return typeof params?.token === 'string' && params.token ? params.token : null;
}

type Extra = { token?: string | null; viewer?: Viewer };

/**
 * GraphQL subscriptions over graphql-ws on the API's own HTTP server and path (/graphql).
 * `connection_init` must carry a session token or API key of a tenant member (else the socket
 * closes with 4403); every subscribe re-authenticates it, so a revoked session or key stops
 * new subscriptions at once. Execution goes through yoga's envelop (same schema, masking,
 * context and scope-auth with authorizeOnSubscribe).
 */
export function attachSubscriptions(server: Server, yoga: YogaServerInstance<{ req: IncomingMessage; wsViewer?: Viewer }, object>, services: Services) {
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: 64 * 1024 });
  const disposable = useServer<Record<string, unknown>, Extra>({
    onConnect: async (ctx) => {
      const token = connectionToken(ctx.connectionParams);
      try {
        const viewer = await authenticate(services, token);
        if (viewer.kind !== 'agent' && viewer.kind !== 'customer') return false;
        ctx.extra.token = token;
        ctx.extra.viewer = viewer;
        return true;
      } catch {
        return false;
      }
    },
    onSubscribe: async (ctx, _id, payload) => {
      let viewer: Viewer;
      try {
        viewer = await authenticate(services, ctx.extra.token ?? null);
      } catch {
        ctx.extra.socket.close(4403, 'Forbidden');
        return [];
      }
      const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
        ...ctx, req: ctx.extra.request, socket: ctx.extra.socket, params: payload, wsViewer: viewer,
      });
      const args: ExecutionArgs = {
        schema,
        operationName: payload.operationName,
        document: parse(payload.query),
        variableValues: payload.variables,
        contextValue: await contextFactory(),
        rootValue: { execute, subscribe },
      };
      const errors = validate(args.schema, args.document);
      if (errors.length) return errors;
      return args;
    },
    execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => unknown }).execute(args) as never,
    subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => unknown }).subscribe(args) as never,
  }, wss);
  return {
    wss,
    async close() {
      for (const client of wss.clients) client.terminate();
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

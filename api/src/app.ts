import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { schema } from './graphql/schema.ts';
import type { GraphQLContext } from './graphql/context.ts';
import { createMaskError, toGraphQLError } from './graphql/mask-error.ts';
import { authenticate, bearerToken } from './auth/authenticate.ts';
import { AppError } from './errors/app-error.ts';
import { cachedQueueAccess } from './auth/queue-access-cache.ts';
import type { Services } from './services.ts';
import { stripeWebhookRoute } from './billing/stripe-webhook.ts';
import { analyticsCsvRoute } from './analytics/export-csv.ts';
import { handleMailIngest, INGEST_PATH } from './mail/inbound/http-ingest.ts';
import type { Viewer } from './auth/viewer.ts';
import { attachSubscriptions } from './events/ws-server.ts';
import { DOWNLOAD_PATH, UPLOAD_PATH, downloadRoute, uploadRoute } from './attachments/http-routes.ts';

export interface Api {
  server: Server;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The client's IP: the peer's, or what a trusted proxy (the web app's server) forwards: X-Forwarded-For is walked from the right, skipping trusted proxies, so a
 * client cannot pick its own address (and dodge per-IP rate limits) by sending the header itself.
 */
export function clientIp(headers: Headers, peer: string | undefined, trusted: Set<string>): string | null {
  if (!peer || !trusted.has(peer)) return peer ?? null;
  const hops = (headers.get('x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted.has(hops[i]) || i === 0) return hops[i];
  }
  return peer;
}

/** The GraphQL API over HTTP (graphql-yoga), with GraphiQL at the same path. */
export function createApi(services: Services): Api {
  const { config, log } = services;
  const yoga = createYoga<{ req: IncomingMessage; wsViewer?: Viewer }, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: 'Parley GraphQL API' },
    logging: false,
    maskedErrors: { maskError: createMaskError(log) },
    cors: { origin: config.webOrigins, credentials: true },
    // Requests a browser sends without a CORS preflight (GET, form posts) need this header: CSRF protection for cookie sessions.
    plugins: [useCSRFPrevention({ requestHeaders: ['x-parley-csrf'] })],
    context: async ({ request, req, wsViewer }) => {
      // Over graphql-ws there is no fetch Request: the viewer comes from connection_init (events/ws-server.ts).
      const meta = request
        ? { ip: clientIp(request.headers, req.socket.remoteAddress, config.trustedProxies), userAgent: request.headers.get('user-agent') }
        : { ip: req.socket.remoteAddress ?? null, userAgent: req.headers['user-agent'] ?? null };
      try {
        const viewer = wsViewer ?? await authenticate(services, bearerToken(request.headers));
        const access = viewer.kind === 'agent' ? await cachedQueueAccess(services.db, viewer) : null;
        return { viewer, services, meta, access };
      } catch (e) {
        if (e instanceof AppError) throw toGraphQLError(e);
        throw e;
      }
    },
  });

  const server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    if (req.url === '/stripe/webhook' && req.method === 'POST') {
      void stripeWebhookRoute(services, req, res); // reads the raw body itself (signature check)
      return;
    }
    if (req.method === 'GET' && /^\/analytics\/[a-z]+\.csv(\?|$)/.test(req.url ?? '')) {
      void analyticsCsvRoute(services, req, res);
      return;
    }
    // Attachments stream in and out with limits of their own (attachments/README.md).
    if (req.method === 'POST' && (req.url === UPLOAD_PATH || req.url?.startsWith(`${UPLOAD_PATH}?`))) {
      void uploadRoute(services, req, res);
      return;
    }
    const download = (req.method === 'GET' || req.method === 'HEAD') && req.url ? DOWNLOAD_PATH.exec(req.url) : null;
    if (download) {
      void downloadRoute(services, req, res, download[1]);
      return;
    }
    const ingest = req.url ? INGEST_PATH.exec(req.url) : null;
    if (ingest) {
      handleMailIngest(services, req, res, ingest[1]).catch((err) => {
        log.error({ err: (err as Error).message }, 'mail ingest failed');
        if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"could not store the message, try again"}');
      });
      return;
    }
    // A body without Content-Length (chunked) could grow past any limit before anyone counts it:
    // GraphQL clients always know their body's length, so such a request is refused (411).
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined) {
      res.writeHead(411, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify({ errors: [{ message: 'A request body needs a Content-Length header', extensions: { code: 'LENGTH_REQUIRED' } }] }));
      req.destroy();
      return;
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > config.MAX_BODY_BYTES) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify({ errors: [{ message: `Request body larger than ${config.MAX_BODY_BYTES} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }));
      req.destroy();
      return;
    }
    void yoga.requestListener(req, res);
  });
  const subscriptions = attachSubscriptions(server, yoga as never, services);

  return {
    server,
    listen: (port, host) => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    }),
    close: async () => {
      await subscriptions.close();
      await new Promise<void>((resolve) => setImmediate(resolve));
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

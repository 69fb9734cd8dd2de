// The HTTP front: API key check, Stripe-Account scoping, form/query decoding (qs, as Stripe's
// clients encode it), Idempotency-Key replay, Stripe's error envelope, request ids.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import qs from 'qs';
import { FakeStripeError, invalidRequest } from './errors.ts';
import type { Ctx, Fake } from './fake.ts';
import type { Params } from './params.ts';
import type { Router } from './router.ts';
import { clone, randomId } from './store.ts';

type Saved = { method: string; path: string; params: string; status: number; body: string };

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function redact(key: string): string {
  return key.length <= 8 ? key : `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function parseForm(text: string): Params {
  return qs.parse(text, { depth: 20, arrayLimit: 1000, parameterLimit: 10_000, allowEmptyArrays: false }) as Params;
}

export class FakeServer {
  readonly fake: Fake;
  readonly router: Router;
  private idempotency = new Map<string, Saved>();
  readonly server: http.Server;
  /** Every API request, for assertions (`method`, `path`, `account`, `params`, `status`). */
  readonly requests: Array<{ method: string; path: string; account: string | null; params: Params; status: number; idempotencyKey: string | null }> = [];

  constructor(fake: Fake, router: Router) {
    this.fake = fake;
    this.router = router;
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { type: 'api_error', message: `fake-stripe crashed: ${err instanceof Error ? err.stack : String(err)}` } }));
      });
    });
  }

  listen(port = 0, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve) => this.server.listen(port, host, () => resolve(this.server.address() as AddressInfo)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  reset(): void {
    this.idempotency.clear();
    this.requests.length = 0;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const requestId = randomId('req', 14);
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'request-id': requestId,
      'stripe-version': String(req.headers['stripe-version'] ?? this.fake.apiVersion),
    };
    const send = (status: number, payload: string, extra: Record<string, string> = {}) => {
      res.writeHead(status, { ...headers, ...extra });
      res.end(payload);
    };
    const sendError = (err: FakeStripeError) => {
      const bodyObj = err.toBody();
      (bodyObj.error as Record<string, unknown>).request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
      send(err.status, JSON.stringify(bodyObj, null, 2), err.status === 400 || err.status === 404 ? { 'stripe-should-retry': 'false' } : {});
      return err.status;
    };

    const control = url.pathname.startsWith('/_fake/');
    let params: Params;
    try {
      params = method === 'POST' ? parseForm(body) : parseForm(url.search.slice(1));
      if (method === 'POST' && url.search.length > 1) Object.assign(params, parseForm(url.search.slice(1)));
    } catch {
      sendError(invalidRequest('Invalid request body.'));
      return;
    }

    // Authentication (Bearer, or Basic with the key as user name, both accepted by Stripe).
    if (!control) {
      const auth = req.headers.authorization ?? '';
      let key: string | null = null;
      if (auth.startsWith('Bearer ')) key = auth.slice(7).trim();
      else if (auth.startsWith('Basic ')) key = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0];
      if (!key) {
        sendError(new FakeStripeError(401, 'invalid_request_error', "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/."));
        return;
      }
      if (key !== this.fake.secretKey) {
        sendError(new FakeStripeError(401, 'invalid_request_error', `Invalid API Key provided: ${redact(key)}`, { code: 'api_key_invalid' }));
        return;
      }
    }

    const accountHeader = req.headers['stripe-account'];
    const account = typeof accountHeader === 'string' && accountHeader !== '' ? accountHeader : null;
    if (account) {
      headers['stripe-account'] = account;
      const connected = this.fake.store.get(null, account, 'account');
      if (!connected || connected.deleted) {
        sendError(new FakeStripeError(403, 'invalid_request_error', `The provided key '${redact(this.fake.secretKey)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`, { code: 'account_invalid' }));
        return;
      }
    }

    const idemHeader = req.headers['idempotency-key'];
    const idempotencyKey = typeof idemHeader === 'string' && idemHeader !== '' ? idemHeader : null;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const idemSlot = `${account ?? ''}|${idempotencyKey}`;
    const paramsKey = canonical(params);
    if (!control && method === 'POST' && idempotencyKey) {
      if (idempotencyKey.length > 255) {
        sendError(invalidRequest('Idempotency keys can be no longer than 255 characters.', { param: 'Idempotency-Key' }));
        return;
      }
      const saved = this.idempotency.get(idemSlot);
      if (saved) {
        if (saved.method !== method || saved.path !== url.pathname) {
          sendError(new FakeStripeError(400, 'idempotency_error', `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${saved.method} ${saved.path}' vs '${method} ${url.pathname}'). Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`));
          return;
        }
        if (saved.params !== paramsKey) {
          sendError(new FakeStripeError(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`));
          return;
        }
        this.requests.push({ method, path: url.pathname, account, params, status: saved.status, idempotencyKey });
        send(saved.status, saved.body, { 'idempotent-replayed': 'true' });
        return;
      }
    }

    const route = this.router.match(method, url.pathname);
    if (!route) {
      const status = sendError(new FakeStripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${url.pathname}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`));
      this.requests.push({ method, path: url.pathname, account, params, status, idempotencyKey });
      return;
    }
    const ctx: Ctx = { fake: this.fake, account, params, path: route.path, requestId, idempotencyKey };
    let status = 200;
    let payload: string;
    try {
      payload = JSON.stringify(clone(route.handler(ctx)), null, 2);
    } catch (err) {
      if (!(err instanceof FakeStripeError)) throw err;
      status = err.status;
      const bodyObj = err.toBody();
      (bodyObj.error as Record<string, unknown>).request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}`;
      payload = JSON.stringify(bodyObj, null, 2);
    }
    // Stripe saves the result once the endpoint started executing; validation failures are not saved.
    if (!control && method === 'POST' && idempotencyKey && (status < 400 || status === 402)) {
      this.idempotency.set(idemSlot, { method, path: url.pathname, params: paramsKey, status, body: payload });
    }
    this.requests.push({ method, path: url.pathname, account, params, status, idempotencyKey });
    send(status, payload, status === 400 || status === 404 ? { 'stripe-should-retry': 'false' } : {});
  }
}

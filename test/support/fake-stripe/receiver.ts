// A local webhook endpoint for tests: keeps the raw body and headers of each POST it gets, and
// answers with the status `respond` picks (default 200). Verification is left to the test, on
// the raw body, as the app will do it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { body: string; signature: string | undefined; headers: http.IncomingHttpHeaders; status: number };

export type Receiver = {
  url: string;
  received: Received[];
  close(): Promise<void>;
};

export async function startReceiver(respond: (body: string, index: number) => number | Promise<number> = () => 200): Promise<Receiver> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const status = await respond(body, received.length);
      const sig = req.headers['stripe-signature'];
      received.push({ body, signature: typeof sig === 'string' ? sig : undefined, headers: req.headers, status });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: status < 300 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

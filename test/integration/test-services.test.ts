// The services `./parley test` provides (scripts/platform.ts documents the variables).
import net from 'node:net';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

const adminUrl = process.env.PARLEY_TEST_ADMIN_URL;
const redisUrl = process.env.REDIS_URL;

describe.skipIf(!adminUrl)('test services from ./parley test', () => {
  it('gives a superuser connection to the fresh test database', async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT current_database() AS db, current_setting($1) AS port, rolsuper FROM pg_roles WHERE rolname = current_user', ['port']);
      expect(rows[0]).toMatchObject({ db: 'parley_test', rolsuper: true });
      expect(rows[0].port).not.toBe(process.env.PARLEY_PG_PORT || '54329'); // never the demo's server
    } finally {
      await client.end();
    }
  });

  it('gives a Redis that answers', async () => {
    const { hostname, port } = new URL(redisUrl!);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write('PING\r\n'));
      socket.once('data', (chunk) => {
        socket.end();
        resolve(chunk.toString());
      });
      socket.once('error', reject);
    });
    expect(reply).toBe('+PONG\r\n');
    expect(port).not.toBe(process.env.PARLEY_REDIS_PORT || '63799');
  });
});

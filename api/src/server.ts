// The API process: validates its configuration, serves GraphQL on API_HOST:API_PORT, and shuts
// down gracefully on SIGTERM/SIGINT.
import { ConfigError, loadConfig } from './config.ts';
import { createServices } from './services.ts';
import { createApi } from './app.ts';

let config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(78);
  }
  throw e;
}
const services = createServices(config);
const api = createApi(services);
const port = await api.listen(config.API_PORT, config.API_HOST);
services.log.info({ url: `http://${config.API_HOST}:${port}/graphql` }, 'Parley API listening');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    services.log.info({ signal }, 'shutting down');
    await api.close();
    await services.close();
    process.exit(0);
  });
}

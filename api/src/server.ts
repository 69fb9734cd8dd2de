// The API process: validates its configuration, serves GraphQL on API_HOST:API_PORT, and shuts
// down gracefully on SIGTERM/SIGINT.
import { loadConfigOrExit } from './config.ts';
import { createServices } from './services.ts';
import { createApi } from './app.ts';
import { onShutdown } from './shutdown.ts';

const config = loadConfigOrExit();
const services = createServices(config);
const api = createApi(services);
const port = await api.listen(config.API_PORT, config.API_HOST);
services.log.info({ url: `http://${config.API_HOST}:${port}/graphql` }, 'Parley API listening');

onShutdown(services.log, async () => {
  await api.close();
  await services.close();
});

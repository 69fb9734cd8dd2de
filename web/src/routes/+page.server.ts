import { config } from '#lib/server/config.ts';
export const load = () => ({ api: config.apiUrl });

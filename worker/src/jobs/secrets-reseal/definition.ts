import { z } from 'zod';
import { resealSecrets } from '@parley/api/secrets/reseal-secrets.ts';
import { defineJob } from '../define-job.ts';

/**
 * Encrypts legacy plaintext tenant secrets and re-encrypts those sealed with a previous key
 * (SECRETS_KEY_PREVIOUS) with SECRETS_KEY (api/src/secrets/reseal-secrets.ts). The worker
 * enqueues one run at start (so a key rotation takes effect as soon as the workers restart) and
 * the schedule repeats it hourly, which finds nothing to do unless rows were written with an old
 * key meanwhile (an API process not restarted yet). Idempotent; concurrent runs are harmless.
 */
export const secretsResealJob = defineJob({
  name: 'secrets.reseal.v1',
  queue: 'maintenance',
  payload: z.object({}),
  schedule: { every: 60 * 60_000 },
  handle: async (services) => {
    const result = await resealSecrets(services);
    const total = Object.values(result).reduce((n, c) => ({ resealed: n.resealed + c.resealed, failed: n.failed + c.failed }), { resealed: 0, failed: 0 });
    if (total.resealed || total.failed) services.log.info({ result }, 'tenant secrets re-encrypted with the current key');
    return result;
  },
});

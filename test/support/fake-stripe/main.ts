// Runs the fake as a process for local development: node test/support/fake-stripe/main.ts [port]
import { startFakeStripe } from './index.ts';

const port = Number(process.argv[2] ?? process.env.FAKE_STRIPE_PORT ?? 12111);
const fake = await startFakeStripe({ port, secretKey: process.env.FAKE_STRIPE_KEY });
console.log(`fake-stripe listening on ${fake.url} (key ${fake.secretKey}, API version ${fake.apiVersion})`);
const stop = () => void fake.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

// The fixed SECRETS_KEY of test runs and benches (32 bytes, base64), so values sealed by one
// process (the test API, a spawned worker) open in another. Never a production key.
export const TEST_SECRETS_KEY = Buffer.from('parley-test-secrets-key-32-bytes', 'utf8').toString('base64');

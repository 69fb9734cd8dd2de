import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['unit/**/*.test.ts', 'integration/**/*.test.ts', 'isolation/**/*.test.ts', 'worker/**/*.test.ts', 'mail/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './support/count-reporter.ts'],
    globalSetup: ['./support/global-setup.ts'],
    // No tuning hints after the summary: CI reads the run's closing lines.
    experimental: { diagnostics: false },
  },
});

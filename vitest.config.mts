import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(import.meta.dirname),
      'server-only': path.resolve(import.meta.dirname, 'test/server-only.ts'),
    },
  },
  test: {
    environment: 'node',
    // Integration tests make many calls a second on one link; lib/api/rate-limit.test.ts sets its own limits.
    env: { RATE_LIMIT_PROVIDER_PER_S: '100000', RATE_LIMIT_LINK_PER_S: '100000', RATE_LIMIT_TOKEN_PER_S: '100000' },
    include: ['lib/**/*.test.ts', 'i18n/**/*.test.ts', 'messages/**/*.test.ts', 'test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // 2 cores; each integration file opens its own database.
    maxWorkers: 2,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // Each file starts Redis, servers and worker processes; one at a time keeps 2 cores usable.
    fileParallelism: false,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The end-to-end tests each start a server; running files one at a time keeps 2 cores usable.
    fileParallelism: false,
  },
});
